package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.model.ModelFile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model files, checkpoints and data are read by explicit parsers only: no class of the trainer
 * or the command line refers to Java's object streams, whose readObject runs code chosen by the
 * file.
 */
class NoJavaSerializationTest {

    private static final List<String> FORBIDDEN = List.of("java/io/ObjectInputStream", "java/io/ObjectOutputStream");

    @Test
    void noTrainerClassUsesObjectStreams() throws Exception {
        Path classes = Path.of(ModelFile.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), "expected the compiled classes folder, found " + classes);
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                scanned++;
                for (String name : FORBIDDEN) {
                    if (constants.contains(name)) {
                        offenders.add(classes.relativize(file) + " uses " + name);
                    }
                }
            }
        }
        assertTrue(scanned > 50, "only " + scanned + " classes found under " + classes);
        assertEquals(List.of(), offenders);
    }
}
