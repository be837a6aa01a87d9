package dev.bp4j.cli;

import dev.bp4j.api.BackendOptions;
import dev.bp4j.trainer.checkpoint.CheckpointFolder;
import dev.bp4j.trainer.io.AtomicFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user meets at the edges of a run: every error is one line naming the option or file,
 * what was found and what to do, before any training when it can be; and the output options
 * (--quiet, --log-every, predict --output, the batch clamp, the resumed summary).
 */
class UserFacingTest {

    @TempDir
    Path folder;

    private record Run(int exit, String out, String err) {
        /** The whole error output is one line, without a stack trace or an exception class. */
        String oneLine() {
            String line = err.strip();
            assertEquals(1, line.lines().count(), "one line: " + err);
            assertFalse(line.contains("Exception") || line.contains("\tat "), line);
            return line;
        }
    }

    private static Run run(String... args) {
        CommandRun run = CommandRun.of(args);
        return new Run(run.exit(), run.out(), run.err());
    }

    private static final String[] DIGITS = {"train", "--data", "digits", "--backend", "reference", "--layers", "64,16,10", "--epochs", "2"};

    private static String[] digits(String... more) {
        List<String> args = new ArrayList<>(List.of(DIGITS));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void everyOutputPathIsCheckedBeforeTheFirstStep() throws Exception {
        Path missing = folder.resolve("nodir");
        for (String option : List.of("--save", "--report", "--plot")) {
            Path file = missing.resolve("out.x");
            Run run = run(digits(option, file.toString()));
            assertEquals(2, run.exit, run.err);
            assertEquals("bp4j train: " + option + " " + file + ": the folder " + missing + " does not exist; create it or choose another "
                    + "path (see 'bp4j train --help')", run.oneLine());
            assertFalse(run.out.contains("epoch"), "nothing trained: " + run.out);
        }
        Path plain = Files.writeString(folder.resolve("plainfile"), "x");
        Run run = run(digits("--checkpoint-dir", plain.toString()));
        assertEquals(2, run.exit);
        assertTrue(run.oneLine().contains("--checkpoint-dir " + plain + ": it is a file; give a folder"), run.err);
        run = run(digits("--save", folder.toString()));
        assertTrue(run.oneLine().contains("--save " + folder + ": it is a folder; give a file name"), run.err);
    }

    @Test
    void aNewRunIntoAFolderWithCheckpointsIsToldToResume() throws Exception {
        Path dir = folder.resolve("ck");
        assertEquals(0, run(digits("--checkpoint-dir", dir.toString())).exit);
        Run again = run(digits("--checkpoint-dir", dir.toString()));
        assertEquals(2, again.exit);
        assertTrue(again.oneLine().contains("already holds checkpoints (newest checkpoint-") && again.err.contains("add --resume"), again.err);
    }

    @Test
    void modelFilesThatAreMissingOrNotModelsAreSaidSo() throws Exception {
        Run missing = run("eval", "--model", "nope.safetensors", "--backend", "reference");
        assertEquals(1, missing.exit);
        assertEquals("bp4j eval: nope.safetensors: no such file or folder; give a model saved by bp4j train --save, a checkpoint, or a "
                + "--checkpoint-dir folder", missing.oneLine());
        Path csv = Files.writeString(folder.resolve("data.csv"), "a,b,label\n1,2,0\n3,4,1\n5,6,0\n");
        Run notModel = run("eval", "--model", csv.toString(), "--backend", "reference");
        assertEquals(1, notModel.exit);
        assertTrue(notModel.oneLine().contains(csv + ":byte 0: not a safetensors file"), notModel.err);
    }

    @Test
    void layersTooWideForAMatrixAreRefusedByOption() {
        Run run = run("train", "--data", "digits", "--backend", "reference", "--layers", "64,1000000000,10");
        assertEquals(2, run.exit);
        assertTrue(run.oneLine().startsWith("bp4j train: --layers 64,1000000000,10: layer 0 would hold 1,000,000,000 × 64 = "
                + "64,000,000,000 weights, more than the largest matrix"), run.err);
    }

    /** A child JVM with a 96 MiB heap asked for a 64 × 2,000,000 layer: one line saying how to give it more. */
    @Test
    void runningOutOfMemorySaysHowToGiveTheJvmMore() throws Exception {
        List<String> command = CommandRun.childJvm(List.of("-Xmx96m"), Main.class, List.of("train", "--data", "digits",
                "--backend", "reference", "--layers", "64,2000000,10", "--epochs", "1"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(2, TimeUnit.MINUTES));
        assertEquals(1, child.exitValue(), output);
        String line = output.lines().filter(l -> !l.startsWith("WARNING: Using incubator")).reduce((a, b) -> b).orElseThrow();
        assertTrue(line.startsWith("bp4j train: out of memory: this run needs more than the JVM's heap of ")
                && line.contains("BP4J_JAVA_OPTS=-Xmx"), output);
        assertFalse(output.contains("java.lang.OutOfMemoryError"), output);
    }

    @Test
    void aThreadCountFarBeyondTheCoresIsRefusedBeforeAnyThreadStarts() {
        Run run = run("train", "--data", "digits", "--threads", "100000");
        assertEquals(2, run.exit);
        assertTrue(run.oneLine().startsWith("bp4j train: --threads: expected 0 (all cores) or a count up to "
                + BackendOptions.maxThreads() + " (16 per core), got 100000"), run.err);
    }

    @Test
    void moreThreadsThanProcessorsTrainsAfterAWarning() {
        int processors = Runtime.getRuntime().availableProcessors();
        Run run = run(digits("--threads", String.valueOf(processors + 1)));
        assertEquals(0, run.exit, run.err);
        assertTrue(run.err.contains("warning: --threads " + (processors + 1) + " is more than the " + processors
                + " processors this process may use;"), run.err);
        Run fitting = run(digits("--threads", String.valueOf(processors)));
        assertEquals(0, fitting.exit, fitting.err);
        assertFalse(fitting.err.contains("warning"), fitting.err);
    }

    @Test
    void aMistypedOptionGetsASuggestion() {
        Run run = run("train", "--epoch", "3");
        assertEquals(2, run.exit);
        assertTrue(run.oneLine().contains("did you mean --epochs?"), run.err);
    }

    private Path xorModel() {
        Path model = folder.resolve("xor.safetensors");
        Run train = run("train", "--data", "xor", "--backend", "reference", "--save", model.toString(), "--quiet");
        assertEquals(0, train.exit, train.err);
        return model;
    }

    @Test
    void predictWithTheLabelColumnStillInTheInputSaysSo() throws Exception {
        Path model = xorModel();
        Path withLabels = Files.writeString(folder.resolve("in.csv"), "0,0,0\n0,1,1\n");
        Run run = run("predict", "--model", model.toString(), "--input", withLabels.toString(), "--backend", "reference");
        assertEquals(1, run.exit);
        assertTrue(run.oneLine().endsWith("expected 2 cells, found 3; if the extra column is the label, remove it"), run.err);
    }

    @Test
    void predictPrintsClassesProbabilitiesOrValues() throws Exception {
        Path model = xorModel();
        Path input = Files.writeString(folder.resolve("in.csv"), "0,0\n0,1\n1,0\n1,1\n");
        String[] predict = {"predict", "--model", model.toString(), "--input", input.toString(), "--backend", "reference"};
        assertEquals("0\n1\n1\n0\n", run(predict).out);
        Run classes = run(concat(predict, "--output", "class"));
        assertEquals("0\n1\n1\n0\n", classes.out);
        List<String> probabilities = run(concat(predict, "--output", "probabilities")).out.lines().toList();
        List<String> values = run(concat(predict, "--output", "value")).out.lines().toList();
        assertEquals(4, probabilities.size());
        for (int row = 0; row < 4; row++) {
            String[] p = probabilities.get(row).split(",");
            double p0 = Double.parseDouble(p[0]);
            double p1 = Double.parseDouble(p[1]);
            assertEquals(1, p0 + p1, 1e-6, probabilities.get(row));
            double logit = Double.parseDouble(values.get(row));
            assertEquals(1 / (1 + Math.exp(-logit)), p1, 1e-6, "P(1) is the sigmoid of the logit");
            assertEquals(row == 1 || row == 2, p1 > 0.5);
        }
    }

    @Test
    void quietPrintsOnlyTheSummaryAndLogEveryThinsTheEpochLines() {
        Run quiet = run("train", "--data", "xor", "--backend", "reference", "--epochs", "50", "--quiet");
        assertEquals(0, quiet.exit, quiet.err);
        assertEquals(1, quiet.out.lines().count(), quiet.out);
        assertTrue(quiet.out.startsWith("xor: 50 epochs"), quiet.out);
        Run thinned = run("train", "--data", "xor", "--backend", "reference", "--epochs", "50", "--log-every", "20");
        assertEquals(List.of("epoch 20/50", "epoch 40/50", "epoch 50/50"),
                thinned.out.lines().filter(l -> l.startsWith("epoch")).map(l -> l.substring(0, l.indexOf("  "))).toList());
    }

    @Test
    void aBatchLargerThanTheTrainingSetIsClampedWithAWord() {
        Run run = run(digits("--batch", "100000", "--quiet"));
        assertEquals(0, run.exit, run.err);
        assertTrue(run.err.contains("--batch 100000: digits has 1438 training samples, so each step takes all 1438"), run.err);
        assertTrue(run.out.contains("batch 1438"), run.out);
    }

    @Test
    void aResumedRunsSummaryCountsTheEpochsItRan() {
        Path dir = folder.resolve("ck");
        assertEquals(0, run(digits("--checkpoint-dir", dir.toString(), "--quiet")).exit);
        List<String> more = new ArrayList<>(List.of(digits("--checkpoint-dir", dir.toString(), "--quiet", "--resume")));
        more.set(more.indexOf("--epochs") + 1, "5");
        Run resumed = run(more.toArray(String[]::new));
        assertEquals(0, resumed.exit, resumed.err);
        assertTrue(resumed.out.startsWith("digits: 3 epochs (3 to 5 of 5), batch 32"), resumed.out);
    }

    /** The issue's --lr 1e6 on digits: the loss settles near 10⁶ without overflowing; the run must stop and save nothing. */
    @Test
    void anExplodingLossStopsTheRunWithoutSavingTheModel() {
        Path model = folder.resolve("m.safetensors");
        Run run = run("train", "--data", "digits", "--backend", "reference", "--lr", "1e6", "--save", model.toString(), "--epochs", "5");
        assertEquals(1, run.exit, run.out + run.err);
        String line = run.err.strip().lines().toList().getLast();
        assertTrue(line.matches("bp4j train: training diverged at step \\d+: the mean loss .* the largest weight is in layer \\d .*"),
                line);
        assertFalse(Files.exists(model), "no diverged model is saved");
    }

    /** A run killed while it wrote its model left a checkpoint of its end; the same command with --resume writes the model. */
    @Test
    void aRunKilledDuringItsFinalSaveFinishesWithResume() throws Exception {
        Path dir = folder.resolve("ck");
        Path model = folder.resolve("final.safetensors");
        assertEquals(0, run(digits("--checkpoint-dir", dir.toString(), "--quiet")).exit);
        Path abandoned = Files.writeString(folder.resolve(".final.safetensors.3sif6e48g5wbb" + AtomicFile.TEMPORARY_SUFFIX), "half");
        Run resumed = run(digits("--checkpoint-dir", dir.toString(), "--quiet", "--resume", "--save", model.toString()));
        assertEquals(0, resumed.exit, resumed.err);
        assertTrue(resumed.err.contains("the run had finished all 2 epochs; writing its outputs"), resumed.err);
        assertTrue(resumed.out.contains("saved the model of epoch 2 to " + model), resumed.out);
        assertTrue(Files.exists(model));
        assertFalse(Files.exists(abandoned), "the crash's temporary file is gone");
    }

    @Test
    void resumingAFolderWhoseCheckpointsAreAllDamagedIsRefused() throws Exception {
        Path dir = Files.createDirectories(folder.resolve("ck"));
        for (String step : List.of("000000000010", "000000000020")) {
            Files.writeString(dir.resolve("checkpoint-" + step + ".safetensors"), "damaged");
        }
        Run run = run(digits("--checkpoint-dir", dir.toString(), "--resume"));
        assertEquals(2, run.exit, run.err);
        String last = run.err.strip().lines().toList().getLast();
        assertTrue(last.contains("--resume: every checkpoint in " + dir + " is damaged (2 files"), run.err);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "nothing written, nothing deleted");
        }
        assertEquals(2, new CheckpointFolder(dir).checkpoints().size());
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
