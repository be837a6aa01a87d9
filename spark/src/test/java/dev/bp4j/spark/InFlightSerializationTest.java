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
 * Java serialization in this module is Spark's transport between the driver and its executors
 * and nothing else (package-info): only the documented in-flight records are Serializable, and
 * no class opens an object stream itself, so no file, model or data set is ever deserialized as
 * Java objects. A new Serializable class must be added to the list here and to package-info.
 */
class InFlightSerializationTest {

    /** The records Spark carries, and ExecutorFailure, the exception a failed task hands back (every Throwable is Serializable). */
    private static final Set<String> IN_FLIGHT = Set.of("DataPlan", "DataShape", "ExecutorFailure", "Replica", "ReplicaSum", "RunPlan",
            "SyncPoint");

    @Test
    void onlyTheDocumentedInFlightRecordsAreSerializableAndNoClassOpensAnObjectStream() throws Exception {
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
        assertEquals(new TreeSet<>(IN_FLIGHT), serializable);
        assertEquals(Set.of(), objectStreams);
    }
}
