package dev.bp4j.opencl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the ICD loader pointed at an empty vendor folder, OpenCL has no platform: the provider
 * says so in one line with the install hint, and nothing throws. Runs in a child JVM because a
 * process finds its platforms once.
 */
class MissingOpenClTest {

    @Test
    void noPlatformIsOneLineWithTheInstallHint(@TempDir Path emptyVendors) throws IOException, InterruptedException {
        ProcessBuilder child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                NoPlatformProbe.class.getName()));
        child.environment().put("OCL_ICD_VENDORS", emptyVendors.toString());
        child.redirectErrorStream(true);
        Process process = child.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe finished");
        assertEquals(0, process.exitValue(), output);
        List<String> lines = output.lines().filter(line -> !line.startsWith("WARNING")).toList();
        assertEquals(3, lines.size(), output);
        for (String line : lines) {
            assertTrue(line.contains("apt-get install ocl-icd-opencl-dev") && line.contains("pocl-opencl-icd"),
                    () -> "says what to install: " + line);
            assertTrue(line.contains("no OpenCL platform") || line.contains("no OpenCL library"), line);
        }
    }
}
