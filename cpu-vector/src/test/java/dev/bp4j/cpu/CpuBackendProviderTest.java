package dev.bp4j.cpu;

import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendProvider;
import dev.bp4j.api.Backends;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void aBadWidthPropertyMakesTheBackendUnavailableWithAReason() {
        String before = System.getProperty(WidthProperty.NAME);
        System.setProperty(WidthProperty.NAME, "300");
        try {
            Optional<String> reason = provider().unavailableReason(BackendOptions.DEFAULT, false);
            assertEquals(Optional.of("system property bp4j.vector.bits: expected 128, 256 or 512, got '300'"), reason);
        } finally {
            restore(WidthProperty.NAME, before);
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
