package dev.bp4j.cli;

import dev.bp4j.trainer.checkpoint.Checkpoint;
import dev.bp4j.trainer.checkpoint.CheckpointFile;
import dev.bp4j.trainer.checkpoint.CheckpointFolder;
import dev.bp4j.trainer.io.AtomicFile;
import dev.bp4j.trainer.train.TrainingState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checkpoints through the command line: a training process killed (Runtime.halt, as kill -9) at
 * injected points leaves a loadable newest checkpoint, and {@code --resume} then finishes with
 * exactly the weights of a run that was never interrupted. Damaged checkpoints are skipped with
 * a warning; a diverging run stops with one line naming step and layer.
 */
class CheckpointCommandLineTest {

    /**
     * Digits: 1437 training samples in batches of 64, 23 steps per epoch, 69 in all; a checkpoint
     * every 7 steps (7, 14, …, 63) and at the end (69).
     */
    private static final List<String> RUN = List.of("train", "--data", "digits", "--backend", "reference", "--layers", "64,24,10",
            "--epochs", "3", "--batch", "64", "--seed", "5", "--optimizer", "adam", "--checkpoint-every", "7");
    private static final long LAST_STEP = 69;

    @TempDir
    static Path shared;
    private static Checkpoint uninterrupted;

    @TempDir
    Path folder;

    private record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void trainWithoutInterruption() throws Exception {
        Path dir = shared.resolve("uninterrupted");
        Run run = run(withFolder(dir));
        assertEquals(0, run.exit, run.err);
        uninterrupted = newest(dir).checkpoint();
        assertEquals(LAST_STEP, uninterrupted.state().step());
        assertEquals(3, uninterrupted.state().epochsDone());
    }

    @ParameterizedTest(name = "killed at {0}")
    @CsvSource({
        // before step 30, so the checkpoint of step 28 is the newest
        "between-steps:30, 28, false",
        // inside the third checkpoint's temporary file (step 21), so 14 is the newest complete one
        "checkpoint-mid-write:3, 14, true",
        // the third checkpoint written and forced, not yet renamed
        "before-rename:3, 14, true"})
    void aKilledRunLeavesALoadableCheckpointAndResumesToTheSameWeights(String crashAt, long newestStep, boolean leavesTemporary)
            throws Exception {
        Path dir = folder.resolve("run");
        Process child = childJvm(crashAt, withFolder(dir));
        assertTrue(child.waitFor(3, TimeUnit.MINUTES), "the child finished");
        assertEquals(CrashingMain.EXIT_STATUS, child.exitValue(), "halted at " + crashAt + ": " + Files.readString(folder.resolve("child.log")));

        assertEquals(leavesTemporary, !temporaries(dir).isEmpty(), "a temporary file left by the crash: " + temporaries(dir));
        assertEquals(newestStep, newest(dir).checkpoint().state().step());

        List<String> resume = new ArrayList<>(withFolder(dir));
        resume.add("--resume");
        Run resumed = run(resume);
        assertEquals(0, resumed.exit, resumed.err);
        assertTrue(resumed.err.contains("resuming from " + dir.resolve(String.format("checkpoint-%012d.safetensors", newestStep))),
                resumed.err);
        assertEquals(List.of(), temporaries(dir), "the next save removed what the crash left");

        TrainingState finished = newest(dir).checkpoint().state();
        assertEquals(LAST_STEP, finished.step());
        for (int l = 0; l < finished.parameters().layerCount(); l++) {
            assertArrayEquals(uninterrupted.state().parameters().weights().get(l), finished.parameters().weights().get(l), "layer " + l);
            assertArrayEquals(uninterrupted.state().parameters().biases().get(l), finished.parameters().biases().get(l), "layer " + l);
        }
        for (int slot = 0; slot < finished.optimizer().slots().size(); slot++) {
            for (int p = 0; p < finished.optimizer().slots().get(slot).size(); p++) {
                assertArrayEquals(uninterrupted.state().optimizer().slots().get(slot).get(p), finished.optimizer().slots().get(slot).get(p));
            }
        }
    }

    @Test
    void aDamagedNewestCheckpointIsSkippedWithAWarningByEvalAndResume() throws Exception {
        Path dir = folder.resolve("run");
        List<String> twoEpochs = new ArrayList<>(withFolder(dir));
        twoEpochs.set(twoEpochs.indexOf("--epochs") + 1, "2");
        assertEquals(0, run(twoEpochs).exit);
        Path damaged = new CheckpointFolder(dir).checkpoints().getFirst();
        try (RandomAccessFile file = new RandomAccessFile(damaged.toFile(), "rw")) {
            file.seek(file.length() - 9);
            int b = file.read();
            file.seek(file.length() - 9);
            file.write(b ^ 0x01);
        }

        Run eval = run(List.of("eval", "--model", dir.toString(), "--backend", "reference"));
        assertEquals(0, eval.exit, eval.err);
        assertTrue(eval.err.contains("warning: skipping a damaged checkpoint: " + damaged) && eval.err.contains("checksum mismatch"),
                eval.err);

        List<String> resume = new ArrayList<>(withFolder(dir));
        resume.add("--resume");
        Run resumed = run(resume);
        assertEquals(0, resumed.exit, resumed.err);
        assertTrue(resumed.err.contains("warning: skipping a damaged checkpoint: " + damaged), resumed.err);
        assertEquals(LAST_STEP, newest(dir).checkpoint().state().step());
        for (int l = 0; l < uninterrupted.state().parameters().layerCount(); l++) {
            assertArrayEquals(uninterrupted.state().parameters().weights().get(l), newest(dir).checkpoint().state().parameters().weights().get(l));
        }
    }

    @Test
    void aDivergingRunStopsWithOneLineNamingStepAndLayerAndSavesNothingNonFinite() throws Exception {
        Path dir = folder.resolve("run");
        List<String> huge = new ArrayList<>(withFolder(dir));
        huge.set(huge.indexOf("--optimizer") + 1, "sgd");
        huge.set(huge.indexOf("--checkpoint-every") + 1, "1");
        huge.addAll(List.of("--lr", "1e30", "--activation", "relu"));
        Run run = run(huge);
        assertEquals(1, run.exit, run.err);
        String line = run.err.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(line.matches("bp4j train: training diverged at step \\d+: .*layer \\d.*"), line);
        // Every checkpoint it did write is complete and finite (the reader rejects NaN and infinity).
        for (Path file : new CheckpointFolder(dir).checkpoints()) {
            CheckpointFile.read(file);
        }
    }

    private static List<String> withFolder(Path dir) {
        List<String> args = new ArrayList<>(RUN);
        args.addAll(List.of("--checkpoint-dir", dir.toString()));
        return args;
    }

    private static CheckpointFolder.Loaded newest(Path dir) throws Exception {
        return new CheckpointFolder(dir).newestComplete(skipped -> fail("nothing should be damaged: " + skipped)).orElseThrow();
    }

    private static List<Path> temporaries(Path dir) throws Exception {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(p -> p.getFileName().toString().endsWith(AtomicFile.TEMPORARY_SUFFIX)).toList();
        }
    }

    private static Run run(List<String> args) {
        CommandRun run = CommandRun.of(args);
        return new Run(run.exit(), run.out(), run.err());
    }

    /** The same command in a fresh JVM on the test class path, armed to halt at {@code crashAt}. */
    private Process childJvm(String crashAt, List<String> args) throws Exception {
        List<String> crashAndArgs = new ArrayList<>(List.of(crashAt));
        crashAndArgs.addAll(args);
        List<String> command = CommandRun.childJvm(List.of(), CrashingMain.class, crashAndArgs);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(folder.resolve("child.log").toFile()).start();
    }
}
