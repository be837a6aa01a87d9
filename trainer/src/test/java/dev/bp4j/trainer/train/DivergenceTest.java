package dev.bp4j.trainer.train;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import dev.bp4j.trainer.data.FeatureScaling;

import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A learning rate far too large makes the weights overflow; the run must stop at once and say where. */
class DivergenceTest {

    private static final NetworkSpec SPEC = NetworkSpec.of(new int[] {2, 16, 1}, Activation.RELU, LossFunction.QUADRATIC, false);
    private static final TrainingSettings HUGE_LEARNING_RATE = new TrainingSettings(20, 16, 3, OptimizerSettings.of(OptimizerKind.SGD, 1e30f));

    private static Backend backend;

    /** Labels that have nothing to do with the points: no weights fit them, so a huge step keeps the loss huge. */
    private static final DataSplit NOISE = noise(120, 9);

    private static DataSplit noise(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        float[] y = new float[3 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) random.nextGaussian();
            x[2 * i + 1] = (float) random.nextGaussian();
            y[3 * i + random.nextInt(3)] = 1;
        }
        Dataset set = new Dataset("noise", n, 2, 3, x, y);
        return new DataSplit("noise", set, set, FeatureScaling.identity(2), true);
    }

    @BeforeAll
    static void open() {
        backend = Backends.open("reference");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void checkedEveryStepItStopsInTheDivergingStepBeforeTheUpdate() {
        List<TrainingState> saved = new ArrayList<>();
        try (Trainer trainer = new Trainer(backend, SPEC, SyntheticData.wave(200, 50, 4), HUGE_LEARNING_RATE)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> trainer.train(new TrainingListener() { }, new Safeguards(1, 3, saved::add)));
            assertTrue(e.getMessage().contains("at step " + e.step() + ":"), e.getMessage());
            assertTrue(e.layer() >= 0 && e.layer() < SPEC.layerCount(), "layer " + e.layer());
            assertTrue(e.getMessage().contains("layer " + e.layer()), e.getMessage());
            assertTrue(e.step() > 1, "the first step is finite; divergence takes an update or two: " + e.step());
            // The weights are those of the last finite step: the diverging update was never applied.
            assertAllFinite(trainer.network().download());
        }
        assertAllFiniteStates(saved);
    }

    /** As on a GPU: checks only at epoch ends and before checkpoints. Later, but still before any bad checkpoint. */
    @Test
    void checkedOnlyBeforeCheckpointsNoNonFiniteStateIsSaved() {
        List<TrainingState> saved = new ArrayList<>();
        try (Trainer trainer = new Trainer(backend, SPEC, SyntheticData.wave(200, 50, 4), HUGE_LEARNING_RATE)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> trainer.train(new TrainingListener() { }, new Safeguards(0, 5, saved::add)));
            assertEquals(0, e.step() % 5, "found by the check before the checkpoint of step " + e.step());
            assertTrue(e.getMessage().contains("between steps " + (e.step() - 4) + " and " + e.step()), e.getMessage());
        }
        assertAllFiniteStates(saved);
    }

    /**
     * A learning rate of 10⁶ with sigmoid hidden units: they saturate, the gradients stay bounded,
     * and the loss settles near 10⁶ without ever overflowing, so only the explosion test sees it.
     * Checked on every backend, with the default factor; with the test off the run "succeeds".
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.bp4j.trainer.train.TrainerSemanticsTest#backends")
    void aLossThatExplodesWithoutOverflowingStopsTheRunNamingStepAndLayer(String name) {
        NetworkSpec spec = NetworkSpec.of(new int[] {2, 8, 3}, Activation.SIGMOID, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        TrainingSettings settings = new TrainingSettings(5, 16, 3, OptimizerSettings.of(OptimizerKind.SGD, 1e6f));
        List<TrainingState> saved = new ArrayList<>();
        try (Backend other = EveryBackendTrainingTest.openOrSkip(name)) {
            try (Trainer trainer = new Trainer(other, spec, NOISE, settings)) {
                TrainingResult result = trainer.train(new TrainingListener() { }, new Safeguards(1, 0, null, 0));
                assertTrue(Double.isFinite(result.epochs().getLast().trainLoss()) && result.epochs().getLast().trainLoss() > 1e3,
                        name + ": without the test the loss explodes yet stays finite: " + result.epochs().getLast().trainLoss());
            }
            try (Trainer trainer = new Trainer(other, spec, NOISE, settings)) {
                TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                        () -> trainer.train(new TrainingListener() { }, new Safeguards(1, 4, saved::add)));
                assertTrue(e.getMessage().matches("training diverged at step " + e.step() + ": the mean loss .* stayed above 100\\.0 × "
                        + "max\\(its starting value .*, 1\\) for 3 checks; the largest weight is in layer " + e.layer() + " .*"),
                        e.getMessage());
                assertTrue(e.layer() >= 0 && e.layer() < spec.layerCount(), "layer " + e.layer());
            }
        }
        assertTrue(saved.size() <= 1, "at most the checkpoint before the loss rose: " + saved.size());
    }

    /** On the reference backend as on cpu, a loss that overflows while the gradients stay finite still names a layer. */
    @Test
    void aLossThatOverflowsNamesALayerToo() {
        NetworkSpec spec = NetworkSpec.of(new int[] {2, 16, 3}, Activation.RELU, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        TrainingSettings settings = new TrainingSettings(5, 16, 3, OptimizerSettings.of(OptimizerKind.SGD, 1e30f));
        try (Trainer trainer = new Trainer(backend, spec, SyntheticData.blobs(3, 40, 10, 5), settings)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> trainer.train(new TrainingListener() { }, new Safeguards(1, 0, null)));
            assertTrue(e.layer() >= 0, e.getMessage());
            assertTrue(e.getMessage().contains("layer " + e.layer()), e.getMessage());
        }
    }

    private static void assertAllFiniteStates(List<TrainingState> states) {
        for (TrainingState state : states) {
            assertAllFinite(state.parameters());
            state.optimizer().slots().forEach(slot -> slot.forEach(DivergenceTest::assertFinite));
        }
    }

    private static void assertAllFinite(NetworkParameters parameters) {
        parameters.weights().forEach(DivergenceTest::assertFinite);
        parameters.biases().forEach(DivergenceTest::assertFinite);
    }

    private static void assertFinite(float[] values) {
        for (float v : values) {
            assertTrue(Float.isFinite(v), "non-finite value " + v);
        }
    }
}
