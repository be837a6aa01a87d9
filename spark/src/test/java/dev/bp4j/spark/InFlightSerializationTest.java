package dev.bp4j.spark;

import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No class of this module is Java-serializable and none opens an object stream: Spark carries
 * only {@link Wire} bytes between the driver and its executors (package-info), so no file, model,
 * data set or message is ever deserialized as Java objects. The one exception is
 * {@link ExecutorFailure}: a failed task's exception, which is Serializable because every
 * Throwable is, and which Spark must hand to the driver for the job to fail with it.
 */
class InFlightSerializationTest {

    /** The only Serializable classes allowed here, each a Throwable. */
    private static final Set<String> THROWABLES = Set.of("ExecutorFailure");

    @Test
    void noClassButTheTaskFailureIsSerializableAndNoClassOpensAnObjectStream() throws Exception {
        Path classes = Path.of(RunPlan.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), "expected the compiled classes folder, found " + classes);
        Set<String> serializable = new TreeSet<>();
        Set<String> objectStreams = new TreeSet<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                scanned++;
                String binaryName = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                Class<?> type = Class.forName(binaryName, false, RunPlan.class.getClassLoader());
                if (Serializable.class.isAssignableFrom(type)) {
                    serializable.add(type.getSimpleName());
                    if (THROWABLES.contains(type.getSimpleName())) {
                        assertTrue(Throwable.class.isAssignableFrom(type), type + " is allowed as a Throwable but is none");
                    }
                }
                String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String stream : List.of("java/io/ObjectInputStream", "java/io/ObjectOutputStream")) {
                    if (constants.contains(stream)) {
                        objectStreams.add(binaryName + " uses " + stream);
                    }
                }
            }
        }
        assertTrue(scanned > 10, "only " + scanned + " classes found under " + classes);
        assertEquals(new TreeSet<>(THROWABLES), serializable, "Serializable classes; carry values as Wire bytes instead");
        assertEquals(Set.of(), objectStreams);
    }
}
