package dev.bp4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end, through picocli's execute, on the reference backend. */
class MainTest {

    @TempDir
    Path folder;

    private record Run(int exit, String out, String err) {
        /** The error output without the JVM's notice about the incubator module. */
        String errorLine() {
            return err.strip();
        }
    }

    private static Run run(String... args) {
        CommandRun run = CommandRun.of(args);
        return new Run(run.exit(), run.out(), run.err());
    }

    @Test
    void xorTrainsToFullAccuracySavesReportsEvaluatesAndPredicts() throws Exception {
        Path model = folder.resolve("xor.safetensors");
        Path report = folder.resolve("xor.json");
        Run train = run("train", "--data", "xor", "--backend", "reference", "--save", model.toString(), "--report", report.toString());
        assertEquals(0, train.exit, train.err);
        assertTrue(train.out.contains("test accuracy 1.0000"), train.out);

        JsonObject json = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        for (String key : new String[] {"backend", "device", "layers", "batch", "samples_per_second", "train_seconds", "test_accuracy",
                "kernel_launches_per_step", "transfers_per_step", "epochs"}) {
            assertTrue(json.has(key), "report lacks " + key);
        }
        assertEquals("reference", json.get("backend").getAsString());
        assertEquals("[2,2,1]", json.get("layers").toString());
        assertEquals(1.0, json.get("test_accuracy").getAsDouble());
        assertEquals(2000, json.getAsJsonArray("epochs").size());
        JsonObject lastEpoch = json.getAsJsonArray("epochs").get(1999).getAsJsonObject();
        for (String key : new String[] {"epoch", "train_loss", "test_accuracy", "samples_per_second"}) {
            assertTrue(lastEpoch.has(key), "epoch entry lacks " + key);
        }

        Run eval = run("eval", "--model", model.toString(), "--backend", "reference");
        assertEquals(0, eval.exit, eval.err);
        assertTrue(eval.out.contains("test accuracy 1.0000"), eval.out);

        Path input = folder.resolve("points.csv");
        Files.writeString(input, "x,y\n0,0\n0,1\n1,0\n1,1\n");
        Run predict = run("predict", "--model", model.toString(), "--input", input.toString(), "--backend", "reference");
        assertEquals(0, predict.exit, predict.err);
        assertEquals("0\n1\n1\n0\n", predict.out);
    }

    @Test
    void evalReproducesTheAccuracyTrainReportedOnDigits() throws Exception {
        Path model = folder.resolve("digits.safetensors");
        Run train = run("train", "--epochs", "3", "--backend", "reference", "--save", model.toString());
        assertEquals(0, train.exit, train.err);
        Run eval = run("eval", "--model", model.toString(), "--backend", "reference");
        assertEquals(0, eval.exit, eval.err);
        String trained = firstMatch("test accuracy ([0-9.]+)", train.out);
        assertEquals(trained, firstMatch("test accuracy ([0-9.]+)", eval.out));
        // Three epochs of a digits network are far from chance (0.1) already.
        assertTrue(Double.parseDouble(trained) > 0.5, trained);
        assertEquals(3, train.out.lines().filter(l -> l.startsWith("epoch ")).count(), train.out);
    }

    @Test
    void regressionFromCsvPredictsValues() throws Exception {
        Path csv = folder.resolve("wave.csv");
        StringBuilder rows = new StringBuilder("a,b,target\n");
        for (int i = 0; i < 200; i++) {
            double a = (i % 20) / 10.0 - 1;
            double b = (i / 20) / 5.0 - 1;
            rows.append(String.format(Locale.ROOT, "%.3f,%.3f,%.4f%n", a, b, 0.5 * a - b / 3 + 0.01234));
        }
        Files.writeString(csv, rows);
        Path model = folder.resolve("wave.safetensors");
        Run train = run("train", "--data", csv.toString(), "--activation", "tanh", "--epochs", "40", "--backend", "reference",
                "--save", model.toString());
        assertEquals(0, train.exit, train.err);
        assertTrue(train.out.contains("test loss"), train.out);
        Path input = folder.resolve("in.csv");
        Files.writeString(input, "0.5,0.2\n");
        Run predict = run("predict", "--model", model.toString(), "--input", input.toString(), "--backend", "reference");
        assertEquals(0, predict.exit, predict.err);
        double predicted = Double.parseDouble(predict.out.strip());
        assertEquals(0.5 * 0.5 - 0.2 / 3 + 0.01234, predicted, 0.1, predict.out);
    }

    @Test
    void usageErrorsExitWithTwoAndOneLine() {
        // Each case and a piece of what its message must say.
        String[][] cases = {
                {"Unknown option: '--no-such-option'", "train", "--no-such-option"},
                {"'x' is not an int", "train", "--layers", "64,x,10"},
                {"--layers 64: expected at least an input and an output width", "train", "--layers", "64"},
                {"--layers 64,0,10", "train", "--layers", "64,0,10"},
                {"64 features and 10 classes, so the widths must start with 64 and end with 10", "train", "--layers", "3,4",
                        "--backend", "reference"},
                {"--lr: expected a positive number", "train", "--lr", "-1"},
                {"'swish' (expected one of sigmoid, tanh, relu)", "train", "--activation", "swish"},
                {"unknown loss 'hinge'", "train", "--loss", "hinge"},
                {"unknown backend 'quantum' (expected auto or one of", "train", "--backend", "quantum"},
                {"softmax-ce needs at least 2 outputs", "train", "--data", "xor", "--loss", "softmax-ce", "--backend", "reference"},
                {"--test-fraction: expected a number between 0 and 1", "train", "--test-fraction", "1.5"},
                {"--scaling: expected one of", "train", "--scaling", "log"},
                {"Missing required option: '--model", "eval"},
                {"Unmatched argument at index 0: 'nonsense'", "nonsense"},
        };
        for (String[] testCase : cases) {
            String[] args = Arrays.copyOfRange(testCase, 1, testCase.length);
            Run r = run(args);
            String what = String.join(" ", args);
            assertEquals(2, r.exit, what + ": " + r.err);
            assertEquals(1, r.errorLine().lines().count(), what + ": " + r.err);
            assertTrue(r.err.contains(testCase[0]), what + ": " + r.err);
            assertFalse(r.err.contains("\tat "), what + ": no stack trace");
        }
    }

    /** A malformed bp4j.threads is a usage error, not a reason to train on the reference backend. */
    @Test
    void aBadThreadsPropertyIsAUsageErrorNotAFallback() {
        String before = System.getProperty("bp4j.threads");
        System.setProperty("bp4j.threads", "x");
        try {
            for (String backend : new String[] {"auto", "cpu"}) {
                Run r = run("train", "--epochs", "1", "--backend", backend);
                assertEquals(2, r.exit, backend + ": " + r.err);
                assertEquals(1, r.errorLine().lines().count(), backend + ": " + r.err);
                assertTrue(r.err.contains("system property bp4j.threads: expected a count from 1 to "), r.err);
                assertFalse(r.err.contains("\tat "), "no stack trace");
                assertFalse(r.out.contains("epoch 1/1"), "no training ran: " + r.out);
            }
            Run devices = run("devices");
            assertEquals(0, devices.exit, devices.err);
            assertTrue(devices.out.contains("cpu: system property bp4j.threads: expected"), devices.out);
        } finally {
            if (before == null) {
                System.clearProperty("bp4j.threads");
            } else {
                System.setProperty("bp4j.threads", before);
            }
        }
    }

    @Test
    void failuresExitWithOneAndNameTheFile() throws Exception {
        Path missing = folder.resolve("missing.csv");
        Run noData = run("train", "--data", missing.toString(), "--backend", "reference");
        assertEquals(1, noData.exit, noData.err);
        assertTrue(noData.errorLine().contains("missing.csv"), noData.err);
        assertEquals(1, noData.errorLine().lines().count(), noData.err);

        Path garbage = folder.resolve("garbage.safetensors");
        Files.writeString(garbage, "this is not a model file at all");
        Run badModel = run("eval", "--model", garbage.toString(), "--backend", "reference");
        assertEquals(1, badModel.exit);
        assertTrue(badModel.errorLine().contains("garbage.safetensors:byte 0"), badModel.err);
        assertEquals(1, badModel.errorLine().lines().count(), badModel.err);
        assertFalse(badModel.err.contains("\tat "));

        Run verbose = run("eval", "--model", garbage.toString(), "--backend", "reference", "--verbose");
        assertEquals(1, verbose.exit);
        assertTrue(verbose.err.contains("\tat "), "--verbose shows the stack trace");

        Path model = folder.resolve("xor.safetensors");
        assertEquals(0, run("train", "--data", "xor", "--epochs", "1", "--backend", "reference", "--save", model.toString()).exit);
        Path input = folder.resolve("bad.csv");
        Files.writeString(input, "0,0\n0,abc\n");
        Run badInput = run("predict", "--model", model.toString(), "--input", input.toString(), "--backend", "reference");
        assertEquals(1, badInput.exit);
        assertTrue(badInput.errorLine().contains("bad.csv:2"), badInput.err);
    }

    @Test
    void devicesListsEveryBackendAndTuneAnswers() {
        Run devices = run("devices");
        assertEquals(0, devices.exit, devices.err);
        assertTrue(devices.out.lines().anyMatch(l -> l.startsWith("reference")), devices.out);
        Run tune = run("tune", "--backend", "reference");
        assertEquals(0, tune.exit, tune.err);
        assertTrue(tune.out.contains("reference: nothing to tune"), tune.out);
    }

    /** The warm-up (on by default for cpu) trains throwaway networks first and changes nothing the run reports. */
    @Test
    void aWarmUpChangesNoResult() {
        String[] train = {"train", "--epochs", "2", "--backend", "cpu", "--layers", "64,16,10"};
        Run warmed = run(train);
        String[] coldArgs = Arrays.copyOf(train, train.length + 1);
        coldArgs[train.length] = "--no-warm-up";
        Run cold = run(coldArgs);
        assertEquals(0, cold.exit, cold.err);
        assertEquals(0, warmed.exit, warmed.err);
        assertEquals(accuracy(cold.out), accuracy(warmed.out), warmed.out);
    }

    private static String accuracy(String out) {
        Matcher m = Pattern.compile("test accuracy \\d\\.\\d+").matcher(out);
        assertTrue(m.find(), out);
        return m.group();
    }

    @Test
    void helpAndVersionWork() {
        Run help = run("--help");
        assertEquals(0, help.exit);
        for (String command : new String[] {"train", "eval", "predict", "devices", "tune"}) {
            assertTrue(help.out.contains(command), help.out);
        }
        Run trainHelp = run("train", "--help");
        assertEquals(0, trainHelp.exit);
        assertTrue(trainHelp.out.contains("--layers") && trainHelp.out.contains("--report"), trainHelp.out);
        Run version = run("--version");
        assertEquals(0, version.exit);
        assertTrue(version.out.startsWith("bp4j "), version.out);
    }

    private static String firstMatch(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in " + text);
        return m.group(1);
    }
}
