package dev.bp4j.benchmarks;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MlpTrainingStepTest {

    /** A learnable task: the class is the index of the largest of the first three features. */
    private static HostMatrix targetsOf(HostMatrix features, int classes) {
        float[] oneHot = new float[features.rows() * classes];
        for (int r = 0; r < features.rows(); r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (features.at(r, c) > features.at(r, best)) {
                    best = c;
                }
            }
            oneHot[r * classes + best] = 1f;
        }
        return new HostMatrix(features.rows(), classes, oneHot);
    }

    @Test
    void trainingStepsLowerTheLossOnALearnableTask() {
        int[] widths = {8, 16, 3};
        int batch = 32;
        SeededInputs seeded = new SeededInputs(11);
        HostMatrix features = HostMatrix.uniform(seeded, 256, widths[0], 0f, 1f);
        HostMatrix targets = targetsOf(features, widths[2]);
        try (Backend reference = Backends.open("reference")) {
            MlpTrainingStep training = new MlpTrainingStep(reference, widths, Activation.SIGMOID, batch, features,
                    targets, seeded.permutation(256), MlpTrainingStep.initialWeights(seeded, widths));
            double firstEpoch = 0;
            double lastEpoch = 0;
            int stepsPerEpoch = 256 / batch;
            for (int epoch = 0; epoch < 60; epoch++) {
                double sum = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    training.step();
                    sum += training.lastLossSum();
                }
                if (epoch == 0) {
                    firstEpoch = sum;
                }
                lastEpoch = sum;
            }
            assertTrue(lastEpoch < 0.6 * firstEpoch, "loss fell from " + firstEpoch + " to " + lastEpoch);
            training.close();
            assertEquals(0, reference.stats().liveBuffers(), "closing the training step releases every buffer it allocated");
        }
    }

    @Test
    void refusesASampleOrderOfPartialBatches() {
        int[] widths = {4, 2};
        SeededInputs seeded = new SeededInputs(12);
        try (Backend reference = Backends.open("reference")) {
            assertThrows(IllegalArgumentException.class, () -> new MlpTrainingStep(reference, widths, Activation.SIGMOID, 8,
                    HostMatrix.uniform(seeded, 12, 4, 0f, 1f), new HostMatrix(12, 2, seeded.oneHot(12, 2)),
                    seeded.permutation(12), MlpTrainingStep.initialWeights(seeded, widths)));
        }
    }
}
