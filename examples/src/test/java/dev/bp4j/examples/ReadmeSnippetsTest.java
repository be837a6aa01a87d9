package dev.bp4j.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Java block in README.md must appear, line for line (indentation aside), in one of the
 * example sources that {@link ExamplesTest} runs: README cannot show code that does not compile.
 */
class ReadmeSnippetsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void everyJavaBlockInReadmeIsCompiledExampleCode() throws IOException {
        List<String> blocks = javaBlocks(Files.readString(ROOT.resolve("README.md")));
        assertFalse(blocks.isEmpty(), "README.md has no ```java block");
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples/src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.add(normalised(Files.readString(file)));
            }
        }
        for (String block : blocks) {
            String wanted = normalised(block);
            assertTrue(sources.stream().anyMatch(source -> source.contains(wanted)),
                    "README block not found in examples/src/main/java:\n" + block);
        }
    }

    private static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static String normalised(String code) {
        StringBuilder lines = new StringBuilder();
        for (String line : code.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty()) {
                lines.append(trimmed).append('\n');
            }
        }
        return lines.toString();
    }
}
