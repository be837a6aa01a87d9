package dev.bp4j.cpu;

import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendProvider;
import dev.bp4j.api.BackendSettingException;
import dev.bp4j.api.Backends;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuBackendProviderTest {

    private static BackendProvider provider() {
        return Backends.providers().stream().filter(p -> p.name().equals("cpu")).findFirst().orElseThrow();
    }

    @Test
    void autoPrefersCpuOverTheReferenceAndSaysSoOnce() {
        List<String> log = new ArrayList<>();
        try (Backend backend = Backends.open(Backends.AUTO, new BackendOptions(2, null, false), log::add)) {
            assertEquals("cpu", backend.name());
            assertEquals(1, log.size(), log.toString());
            assertTrue(log.get(0).contains("using backend cpu"), log.get(0));
        }
        assertEquals(50, provider().autoPriority());
    }

    /**
     * Opening a backend starts its worker pool and nothing else (no warm-up or other thread of
     * its own), and closing it ends the workers: the new threads are bp4j-cpu-1 ..
     * bp4j-cpu-(threads − 1), and they are gone after close.
     */
    @Test
    void openingABackendStartsOnlyItsWorkersAndClosingEndsThem() throws InterruptedException {
        for (int threads = 1; threads <= 3; threads++) {
            List<String> expected = new ArrayList<>();
            for (int worker = 1; worker < threads; worker++) {
                expected.add("bp4j-cpu-" + worker);
            }
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            List<Thread> started = new ArrayList<>();
            try (Backend backend = provider().open(new BackendOptions(threads, null, true))) {
                backend.fill(backend.allocate(1, 1), 0f);
                started.addAll(Thread.getAllStackTraces().keySet());
                started.removeAll(before);
                assertEquals(expected, started.stream().map(Thread::getName).sorted().toList(), threads + " threads");
            }
            for (Thread thread : started) {
                thread.join(10_000);
                assertFalse(thread.isAlive(), thread.getName() + " still runs after close");
            }
        }
    }

    @Test
    void threadsComeFromTheOptionsThenTheSystemProperty() {
        try (Backend backend = provider().open(new BackendOptions(3, null, true))) {
            assertTrue(backend.deviceDescription().endsWith(", 3 threads"), backend.deviceDescription());
        }
        String before = System.getProperty("bp4j.threads");
        System.setProperty("bp4j.threads", "1");
        try (Backend backend = provider().open(BackendOptions.DEFAULT)) {
            assertTrue(backend.deviceDescription().endsWith(", 1 thread"), backend.deviceDescription());
        } finally {
            restore("bp4j.threads", before);
        }
    }

    @Test
    void devicesNameTheProcessorTheWidthAndTheThreads() {
        List<String> lines = provider().describeDevices(new BackendOptions(2, null, false));
        assertEquals(1, lines.size());
        String line = lines.get(0);
        assertTrue(line.startsWith("cpu: " + CpuModel.name()), line);
        assertTrue(line.contains("preferred SIMD width " + VectorWidth.preferredBits() + " bits"), line);
        assertTrue(line.contains(VectorWidth.FLOATS.vectorBitSize() + "-bit vectors"), line);
        assertTrue(line.endsWith("; 2 threads"), line);
    }

    @Test
    void oneThreadIsCountedInTheSingular() {
        String line = provider().describeDevices(new BackendOptions(1, null, false)).get(0);
        assertTrue(line.endsWith("; 1 thread"), line);
    }

    /**
     * A malformed setting fails the open, named or under auto and strict or not, where a machine
     * without the backend would fall back: a typo in bp4j.threads must not send a run to the
     * reference backend, about fifty times slower.
     */
    @Test
    void aBadSettingFailsTheOpenInsteadOfFallingBack() {
        String[][] settings = {
                {WidthProperty.NAME, "300", "system property bp4j.vector.bits: expected 128, 256 or 512, got '300'"},
                {"bp4j.threads", "x", "system property bp4j.threads: expected a count from 1 to "},
                {"bp4j.threads", "-3", "system property bp4j.threads: expected a count from 1 to "},
        };
        for (String[] setting : settings) {
            String before = System.getProperty(setting[0]);
            System.setProperty(setting[0], setting[1]);
            try {
                for (String name : List.of("cpu", Backends.AUTO)) {
                    List<String> log = new ArrayList<>();
                    BackendSettingException thrown = assertThrows(BackendSettingException.class,
                            () -> Backends.open(name, BackendOptions.DEFAULT, log::add).close(), name + " with " + setting[0]);
                    assertTrue(thrown.getMessage().startsWith(setting[2]), thrown.getMessage());
                    assertEquals(List.of(), log, "nothing was opened, so nothing is said");
                }
                assertEquals(Optional.empty(), provider().unavailableReason(BackendOptions.DEFAULT, false),
                        "the machine can run it; the setting is what is wrong");
                String line = provider().describeDevices(BackendOptions.DEFAULT).get(0);
                assertTrue(line.startsWith("cpu: " + setting[2]), line);
            } finally {
                restore(setting[0], before);
            }
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
