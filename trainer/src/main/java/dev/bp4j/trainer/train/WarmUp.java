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
 * {@link Trainer} run of one epoch with a partial last batch and a test set: many small steps
 * first, so the JIT's invocation and loop counters reach their thresholds while each step still
 * costs little in uncompiled code; then steps of the run's own shape, so the compiled code sees
 * the trip counts and the multi-threaded paths of the real run.
 */
final class WarmUp {

    /** Widths of the small phase's layers: several micro-tiles wide, so edge and full tiles both run. */
    private static final int SMALL_INPUTS = 24;
    private static final int SMALL_HIDDEN = 40;
    private static final int SMALL_BATCH = 11;
    private static final int SMALL_STEPS = 200;
    private static final int SHAPED_STEPS = 80;
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
        train(backend, smallSpec, smallBatch, SMALL_STEPS, settings, divergenceCheckEverySteps);
        train(backend, spec, settings.batchSize(), SHAPED_STEPS, settings, divergenceCheckEverySteps);
    }

    private static void train(Backend backend, NetworkSpec spec, int batch, int steps, TrainingSettings settings,
                              int divergenceCheckEverySteps) {
        SplittableRandom random = new SplittableRandom(settings.seed());
        // A partial last batch, as most data sets leave.
        int trainSamples = batch * steps + (batch + 1) / 2;
        DataSplit data = new DataSplit("warm-up", samples("warm-up train", spec, trainSamples, random),
                samples("warm-up test", spec, TEST_SAMPLES, random), FeatureScaling.identity(spec.inputs()), true);
        // The run's recipe, so its dropout and clipping kernels compile too; no validation part to hold out.
        TrainingSettings one = new TrainingSettings(1, batch, settings.seed(), settings.optimizer(), settings.recipe().withValidation(0, 0));
        try (Trainer trainer = new Trainer(backend, spec, data, one)) {
            // Random labels: the loss may well rise, which says nothing about the real run, so no explosion test (factor 0).
            trainer.train(new TrainingListener() { }, new Safeguards(divergenceCheckEverySteps, 0, null, 0));
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
