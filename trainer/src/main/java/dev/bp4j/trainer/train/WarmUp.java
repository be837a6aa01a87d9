package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import dev.bp4j.trainer.data.FeatureScaling;
import dev.bp4j.trainer.nn.NetworkSpec;

import java.util.SplittableRandom;

/**
 * {@link Trainer#warmUp}: the trainer's own steps on synthetic data, to get a JIT-compiled
 * backend's kernels compiled before a run's first epoch. Two phases, each a real
 * {@link Trainer} run with a partial last batch and a test set: an epoch of many small steps
 * first, so the JIT's invocation and loop counters reach their thresholds while each step still
 * costs little in uncompiled code; then rounds (epochs) of the run's own shape, so the compiled
 * code sees the trip counts and the multi-threaded paths of the real run, until a round in
 * which the JIT compilers were mostly idle ({@link CompilerActivity}). One round was not
 * enough: the optimising compiler was still at work on the kernels for several more, on a
 * core the run's threads wanted.
 */
final class WarmUp {

    /** Widths of the small phase's layers: several micro-tiles wide, so edge and full tiles both run. */
    private static final int SMALL_INPUTS = 24;
    private static final int SMALL_HIDDEN = 40;
    private static final int SMALL_BATCH = 11;
    private static final int SMALL_STEPS = 200;
    /** Samples per round of the shaped phase (80 steps at batch 128), so a round costs about the same at any batch size. */
    private static final int ROUND_SAMPLES = 80 * 128;
    /**
     * The shaped phase stops after a round in which the compilers worked for at most this share
     * of its wall time (a stricter bar made the first epoch faster but the warm-up longer by
     * more, docs/performance.md)...
     */
    private static final double QUIET_SHARE = 0.25;
    /** ...or after this many rounds. */
    private static final int MAX_ROUNDS = 10;
    /** Rounds when the JVM does not report its compile time. */
    private static final int UNWATCHED_ROUNDS = 3;
    /** Two full chunks of the evaluation and a partial one, as a real test set has. */
    private static final int TEST_SAMPLES = 2 * Evaluator.CHUNK_ROWS + 17;

    private WarmUp() {
    }

    static void run(Backend backend, NetworkSpec spec, TrainingSettings settings, int divergenceCheckEverySteps) {
        int[] small = spec.widths().clone();
        small[0] = Math.min(small[0], SMALL_INPUTS);
        for (int l = 1; l < small.length - 1; l++) {
            small[l] = Math.min(small[l], SMALL_HIDDEN);
        }
        NetworkSpec smallSpec = new NetworkSpec(small, spec.hiddenActivation(), spec.outputActivation(), spec.loss());
        int smallBatch = Math.min(SMALL_BATCH, settings.batchSize());
        CompilerActivity compilers = CompilerActivity.watch();
        train(backend, smallSpec, smallBatch, SMALL_STEPS, 1, null, settings, divergenceCheckEverySteps);
        int batch = settings.batchSize();
        int steps = Math.max(1, (ROUND_SAMPLES + batch - 1) / batch);
        train(backend, spec, batch, steps, compilers != null ? MAX_ROUNDS : UNWATCHED_ROUNDS, compilers, settings,
                divergenceCheckEverySteps);
    }

    /**
     * {@code rounds} epochs of {@code steps} steps, or fewer: the epochs stop after one in
     * which {@code compilers} (when not null) were quiet.
     */
    private static void train(Backend backend, NetworkSpec spec, int batch, int steps, int rounds, CompilerActivity compilers,
                              TrainingSettings settings, int divergenceCheckEverySteps) {
        SplittableRandom random = new SplittableRandom(settings.seed());
        // A partial last batch, as most data sets leave.
        int trainSamples = batch * steps + (batch + 1) / 2;
        DataSplit data = new DataSplit("warm-up", samples("warm-up train", spec, trainSamples, random),
                samples("warm-up test", spec, TEST_SAMPLES, random), FeatureScaling.identity(spec.inputs()), true);
        // The run's recipe, so its dropout and clipping kernels compile too; no validation part to hold out.
        TrainingSettings warmUp = new TrainingSettings(rounds, batch, settings.seed(), settings.optimizer(),
                settings.recipe().withValidation(0, 0));
        try (Trainer trainer = new Trainer(backend, spec, data, warmUp)) {
            TrainingListener untilQuiet = new TrainingListener() {
                @Override
                public void epochFinished(EpochSummary summary) {
                    if (compilers != null && compilers.quietSinceLastLook(QUIET_SHARE)) {
                        trainer.requestStop();
                    }
                }
            };
            // Random labels: the loss may well rise, which says nothing about the real run, so no explosion test (factor 0).
            trainer.train(untilQuiet, new Safeguards(divergenceCheckEverySteps, 0, null, 0));
        }
    }

    /** Features uniform in [0, 1); each target one-hot over the outputs (a 0/1 label for one output). */
    private static Dataset samples(String name, NetworkSpec spec, int count, SplittableRandom random) {
        int inputs = spec.inputs();
        int outputs = spec.outputs();
        float[] features = new float[count * inputs];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextDouble();
        }
        float[] targets = new float[count * outputs];
        for (int s = 0; s < count; s++) {
            if (outputs == 1) {
                targets[s] = random.nextInt(2);
            } else {
                targets[s * outputs + random.nextInt(outputs)] = 1f;
            }
        }
        return new Dataset(name, count, inputs, outputs, features, targets);
    }
}
