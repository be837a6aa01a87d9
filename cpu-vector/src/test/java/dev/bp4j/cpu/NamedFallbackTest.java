package dev.bp4j.cpu;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A library caller's {@code Backends.open("cpu")} on a JVM started without the Vector API module
 * gets the reference backend, and a warning on stderr saying why, not a silent switch to a
 * backend about fifty times slower. Runs in a child JVM, since this one has the module.
 */
class NamedFallbackTest {

    @Test
    void aNamedBackendReplacedByAnotherIsAWarning() throws IOException, InterruptedException {
        ProcessBuilder child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FallbackProbe.class.getName()));
        Process process = child.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe finished");
        assertEquals(0, process.exitValue(), err);
        assertEquals("opened: reference", out.strip(), err);
        assertTrue(err.contains("WARNING: backend cpu unavailable (the JVM was started without --add-modules jdk.incubator.vector);"
                + " using backend reference"), err);
    }
}
