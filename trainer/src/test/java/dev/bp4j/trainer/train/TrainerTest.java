package dev.bp4j.trainer.train;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendStats;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training on the reference backend: convergence, reproducibility and the cost of a step. */
class TrainerTest {

    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.open("reference");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void xorTwoTwoOneReachesFullAccuracy() {
        NetworkSpec spec = NetworkSpec.of(new int[] {2, 2, 1}, Activation.SIGMOID, LossFunction.SIGMOID_CROSS_ENTROPY, true);
        TrainingResult result = train(spec, SyntheticData.xor(), new TrainingSettings(300, 4, 1, OptimizerSettings.of(OptimizerKind.ADAM, 0.1f)));
        assertEquals(1.0, result.finalTest().accuracy());
    }

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void everyOptimizerSeparatesBlobs(OptimizerKind kind) {
        float learningRate = kind == OptimizerKind.ADAM ? 0.01f : 0.1f;
        NetworkSpec spec = NetworkSpec.of(new int[] {2, 8, 3}, Activation.SIGMOID, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        TrainingResult result = train(spec, SyntheticData.blobs(3, 60, 30, 5), new TrainingSettings(20, 16, 3, OptimizerSettings.of(kind, learningRate)));
        assertTrue(result.finalTest().accuracy() >= 0.95, kind + ": test accuracy " + result.finalTest().accuracy());
        assertTrue(result.epochs().getLast().trainLoss() < result.epochs().getFirst().trainLoss(), "the training loss fell");
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"SIGMOID", "TANH", "RELU"})
    void everyHiddenActivationAndLossLearns(Activation hidden) {
        for (LossFunction loss : LossFunction.values()) {
            NetworkSpec spec = NetworkSpec.of(new int[] {2, 8, 3}, hidden, loss, true);
            TrainingResult result = train(spec, SyntheticData.blobs(3, 60, 30, 8),
                    new TrainingSettings(15, 16, 4, OptimizerSettings.of(OptimizerKind.ADAM, 0.03f)));
            assertTrue(result.finalTest().accuracy() >= 0.9, hidden + " " + loss + ": test accuracy " + result.finalTest().accuracy());
        }
    }

    @Test
    void regressionWithTheQuadraticCostFitsAWave() {
        NetworkSpec spec = NetworkSpec.of(new int[] {2, 16, 1}, Activation.TANH, LossFunction.QUADRATIC, false);
        TrainingResult result = train(spec, SyntheticData.wave(400, 100, 2), new TrainingSettings(60, 16, 1, OptimizerSettings.of(OptimizerKind.ADAM, 0.01f)));
        assertFalse(result.finalTest().hasAccuracy(), "regression has no accuracy");
        // The targets have variance about 0.7; ½·MSE of a good fit is far below it.
        assertTrue(result.finalTest().loss() < 0.01, "test loss " + result.finalTest().loss());
    }

    @Test
    void theSameSeedGivesIdenticalWeightsAndAnotherSeedDifferentOnes() {
        NetworkSpec spec = NetworkSpec.of(new int[] {2, 6, 3}, Activation.TANH, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        DataSplit data = SyntheticData.blobs(3, 40, 10, 1);
        NetworkParameters first = trainedWeights(spec, data, 42);
        NetworkParameters second = trainedWeights(spec, data, 42);
        NetworkParameters other = trainedWeights(spec, data, 43);
        for (int l = 0; l < spec.layerCount(); l++) {
            assertArrayEquals(first.weights().get(l), second.weights().get(l));
            assertArrayEquals(first.biases().get(l), second.biases().get(l));
        }
        assertFalse(Arrays.equals(first.weights().getFirst(), other.weights().getFirst()));
    }

    @Test
    void stepsAllocateNothingAndReadNothingBack() {
        // 100 samples in batches of 32: three full steps and a remainder step of 4 each epoch.
        DataSplit data = SyntheticData.blobs(4, 25, 5, 9);
        NetworkSpec spec = NetworkSpec.of(new int[] {2, 8, 8, 4}, Activation.RELU, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        List<Long> liveAtEpochEnd = new ArrayList<>();
        try (Trainer trainer = new Trainer(backend, spec, data, new TrainingSettings(3, 32, 1, OptimizerSettings.of(OptimizerKind.ADAM, 0.01f)))) {
            TrainingResult result = trainer.train(new TrainingListener() {
                @Override
                public void epochFinished(EpochSummary summary) {
                    liveAtEpochEnd.add(backend.stats().liveBuffers());
                }
            });
            assertEquals(0, result.transfersPerStep(), "a step moves nothing between host and device");
            // gather ×2, forward ×3, loss, loss sum, correct count, then per layer gradients ×2 and δ ×2 (not below the
            // first layer), and two parameter updates per layer; no divergence checks were asked for.
            assertEquals(2 + 3 + 1 + 1 + 1 + 3 * 2 + 2 + 3 * 2, result.kernelLaunchesPerStep());
            // Per epoch: the permutation upload, the divergence check's two reads (its folded sum, and the mean loss for the
            // explosion test) and the two reads of the accumulators.
            for (EpochSummary epoch : result.epochs()) {
                assertEquals(5, epoch.transfers(), "epoch " + epoch.epoch());
            }
        }
        assertEquals(liveAtEpochEnd.getFirst(), liveAtEpochEnd.getLast(), "no buffers allocated after the first epoch");
    }

    @Test
    void aMismatchedNetworkIsRejectedBeforeAnythingIsAllocated() {
        long before = backend.stats().liveBuffers();
        NetworkSpec spec = NetworkSpec.of(new int[] {3, 4, 3}, Activation.SIGMOID, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(backend, spec,
                SyntheticData.blobs(3, 10, 5, 1), new TrainingSettings(1, 8, 1, OptimizerSettings.of(OptimizerKind.SGD, 0.1f))));
        assertTrue(e.getMessage().contains("3 inputs") && e.getMessage().contains("2 features"), e.getMessage());
        assertEquals(before, backend.stats().liveBuffers());
    }

    @Test
    void closingTheTrainerReleasesEverything() {
        long before = backend.stats().liveBuffers();
        NetworkSpec spec = NetworkSpec.of(new int[] {2, 5, 3}, Activation.SIGMOID, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        try (Trainer trainer = new Trainer(backend, spec, SyntheticData.blobs(3, 10, 5, 1),
                new TrainingSettings(2, 7, 1, OptimizerSettings.of(OptimizerKind.MOMENTUM, 0.1f)))) {
            trainer.train(new TrainingListener() { });
            assertTrue(backend.stats().liveBuffers() > before);
        }
        assertEquals(before, backend.stats().liveBuffers());
    }

    private static TrainingResult train(NetworkSpec spec, DataSplit data, TrainingSettings settings) {
        try (Trainer trainer = new Trainer(backend, spec, data, settings)) {
            return trainer.train(new TrainingListener() { });
        }
    }

    private static NetworkParameters trainedWeights(NetworkSpec spec, DataSplit data, long seed) {
        try (Trainer trainer = new Trainer(backend, spec, data, new TrainingSettings(3, 8, seed, OptimizerSettings.of(OptimizerKind.MOMENTUM, 0.1f)))) {
            trainer.train(new TrainingListener() { });
            return trainer.network().download();
        }
    }
}
