package dev.bp4j.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessorCoresTest {

    /** A sysfs cpu folder for 4 cores of 2 hardware threads each, numbered as Linux does on x86: core c is c and c + 4. */
    private static Path fourCoresEightThreads(Path root) throws IOException {
        Files.writeString(root.resolve("online"), "0-7\n");
        for (int cpu = 0; cpu < 8; cpu++) {
            Path topology = Files.createDirectories(root.resolve("cpu" + cpu).resolve("topology"));
            int core = cpu % 4;
            Files.writeString(topology.resolve("thread_siblings_list"), core + "," + (core + 4) + "\n");
        }
        return root;
    }

    @Test
    void eachCoreCountsOnceHoweverManyOfItsThreadsMayRun(@TempDir Path root) throws IOException {
        Path cpus = fourCoresEightThreads(root);
        assertEquals(OptionalInt.of(4), ProcessorCores.count(cpus, "0-7"));
        assertEquals(OptionalInt.of(2), ProcessorCores.count(cpus, "0-1"));
        // Both threads of core 0 and one of core 1: two cores.
        assertEquals(OptionalInt.of(2), ProcessorCores.count(cpus, "0,4,5"));
    }

    @Test
    void processorsThatAreNotOnlineDoNotCount(@TempDir Path root) throws IOException {
        Path cpus = fourCoresEightThreads(root);
        Files.writeString(cpus.resolve("online"), "0-3\n");
        // A VM's affinity mask may name processors it could hot-plug; cpu 8 and up have no folder.
        assertEquals(OptionalInt.of(4), ProcessorCores.count(cpus, "0-63"));
    }

    @Test
    void anythingUnreadableLeavesTheCountToTheJvm(@TempDir Path root) throws IOException {
        Path cpus = fourCoresEightThreads(root);
        assertEquals(OptionalInt.empty(), ProcessorCores.count(cpus, null));
        assertEquals(OptionalInt.empty(), ProcessorCores.count(cpus, "0-x"));
        assertEquals(OptionalInt.empty(), ProcessorCores.count(root.resolve("missing"), "0-7"));
        Files.delete(cpus.resolve("cpu2").resolve("topology").resolve("thread_siblings_list"));
        assertEquals(OptionalInt.empty(), ProcessorCores.count(cpus, "0-7"));
    }

    @Test
    void cpuListsParseAsLinuxWritesThem() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 8, 10, 11}, ProcessorCores.processors("0-3,8,10-11\n"));
        assertArrayEquals(new int[] {5}, ProcessorCores.processors("5"));
        for (String bad : new String[] {"", "3-1", "1-2-3", "-1", "0-99999999"}) {
            assertThrows(RuntimeException.class, () -> ProcessorCores.processors(bad), bad);
        }
    }

    @Test
    void theAllowedListIsReadFromTheProcessStatus(@TempDir Path root) throws IOException {
        Path status = Files.writeString(root.resolve("status"), "Name:\tjava\nCpus_allowed:\tff\nCpus_allowed_list:\t0-7\nMems_allowed:\t1\n");
        assertEquals("0-7", ProcessorCores.allowedProcessors(status));
        assertEquals(null, ProcessorCores.allowedProcessors(root.resolve("absent")));
    }

    @Test
    void onThisMachineTheDefaultIsBetweenOneAndTheAvailableProcessors() {
        int cores = ProcessorCores.available();
        assertTrue(cores >= 1 && cores <= Runtime.getRuntime().availableProcessors(), cores + " cores");
    }
}
