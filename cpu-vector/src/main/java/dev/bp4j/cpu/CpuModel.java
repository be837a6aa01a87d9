package dev.bp4j.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The processor's model name as the operating system reports it, for device descriptions. */
final class CpuModel {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuModel() {
    }

    /** The model name from /proc/cpuinfo where there is one, else the JVM's architecture name. */
    static String name() {
        if (Files.isReadable(CPUINFO)) {
            try (Stream<String> lines = Files.lines(CPUINFO)) {
                var model = lines.filter(line -> line.startsWith("model name"))
                        .map(line -> line.substring(line.indexOf(':') + 1).trim())
                        .findFirst();
                if (model.isPresent()) {
                    return model.get();
                }
            } catch (IOException | java.io.UncheckedIOException unreadable) {
                // Fall back to the architecture below: the name is descriptive only.
            }
        }
        return System.getProperty("os.arch");
    }
}
