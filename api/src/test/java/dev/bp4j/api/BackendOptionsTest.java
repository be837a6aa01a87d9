package dev.bp4j.api;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendOptionsTest {

    private static final String PROPERTY = "bp4j.threads";

    @Test
    void threadCountsFromAllCoresUpToSixteenPerCoreAreTaken() {
        int max = BackendOptions.MAX_THREADS_PER_CORE * Runtime.getRuntime().availableProcessors();
        assertEquals(max, BackendOptions.maxThreads());
        assertEquals(Optional.empty(), BackendOptions.threadsProblem(0));
        assertEquals(Optional.empty(), BackendOptions.threadsProblem(max));
        assertEquals(max, new BackendOptions(max, null, false).resolvedThreads());
    }

    @Test
    void aNegativeCountOrOneFarBeyondTheCoresIsRefusedWithTheRange() {
        int max = BackendOptions.maxThreads();
        String expected = "expected 0 (all cores) or a count up to " + max + " (16 per core), got ";
        assertEquals(Optional.of(expected + "-1"), BackendOptions.threadsProblem(-1));
        assertEquals(Optional.of(expected + (max + 1)), BackendOptions.threadsProblem(max + 1));
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> new BackendOptions(100_000, null, false));
        assertEquals("threads: " + expected + "100000", thrown.getMessage());
    }

    @Test
    void theSystemPropertyFillsInZeroAndIsCheckedAlike() {
        String before = System.getProperty(PROPERTY);
        try {
            System.setProperty(PROPERTY, "3");
            assertEquals(3, BackendOptions.DEFAULT.resolvedThreads());
            assertEquals(2, new BackendOptions(2, null, false).resolvedThreads());
            for (String bad : new String[] {"zero", "0", "-2", String.valueOf(BackendOptions.maxThreads() + 1)}) {
                System.setProperty(PROPERTY, bad);
                IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, BackendOptions.DEFAULT::resolvedThreads);
                assertTrue(thrown.getMessage().startsWith("system property bp4j.threads: expected a count from 1 to "
                        + BackendOptions.maxThreads()) && thrown.getMessage().endsWith("got '" + bad + "'"), thrown.getMessage());
            }
            System.clearProperty(PROPERTY);
            assertEquals(ProcessorCores.available(), BackendOptions.DEFAULT.resolvedThreads());
        } finally {
            if (before == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, before);
            }
        }
    }
}
