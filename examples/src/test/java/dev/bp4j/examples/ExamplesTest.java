package dev.bp4j.examples;

import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.DataSources;
import dev.bp4j.trainer.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs each example as a user would and checks what it prints, so the examples cannot rot. */
class ExamplesTest {

    @Test
    void quickStartTrainsDigitsToHighAccuracy() throws Exception {
        String out = run(() -> QuickStart.main(new String[0]));
        Matcher m = Pattern.compile("test accuracy (\\d\\.\\d+)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) > 0.9, out);
    }

    @Test
    void savedModelLoadsAndPredictsTheTestRows(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("digits.safetensors");
        String out = run(() -> SaveLoadPredict.main(new String[] {file.toString()}));
        assertTrue(Files.size(file) > 0);
        Matcher m = Pattern.compile("predicted classes \\[([0-9, ]+)]").matcher(out);
        assertTrue(m.find(), out);
        int[] predicted = Arrays.stream(m.group(1).split(", ")).mapToInt(Integer::parseInt).toArray();
        Dataset test = DataSources.load(DataRequest.of("digits")).test();
        int right = 0;
        for (int row = 0; row < predicted.length; row++) {
            right += predicted[row] == labelOf(test, row) ? 1 : 0;
        }
        assertTrue(predicted.length == 5 && right >= 4, "predicted " + Arrays.toString(predicted) + ", " + right + " right");
    }

    private static int labelOf(Dataset data, int row) {
        int best = 0;
        for (int j = 1; j < data.targetCount(); j++) {
            if (data.targets()[row * data.targetCount() + j] > data.targets()[row * data.targetCount() + best]) {
                best = j;
            }
        }
        return best;
    }

    private interface Example {
        void run() throws Exception;
    }

    private static String run(Example example) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            example.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
