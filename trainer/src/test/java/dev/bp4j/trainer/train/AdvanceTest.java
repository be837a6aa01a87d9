package dev.bp4j.trainer.train;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Trainer#advance} in pieces of any size takes exactly the steps {@link Trainer#train}
 * takes, so a caller that hands each piece's state back unchanged ends where train() ends.
 */
class AdvanceTest {

    private static final NetworkSpec SPEC = NetworkSpec.of(new int[] {2, 12, 8, 3}, Activation.TANH, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
    // 135 samples in batches of 16: eight full steps and a remainder of 7 per epoch.
    private static final DataSplit DATA = SyntheticData.blobs(3, 45, 15, 21);

    @ParameterizedTest(name = "{0} {1} in pieces of {2}")
    @CsvSource({"reference, ADAM, 1", "reference, MOMENTUM, 4", "cpu, ADAM, 5", "cpu, SGD, 20"})
    void stepsTakenInPiecesEndWhereTrainEnds(String backendName, OptimizerKind kind, int piece) {
        TrainingSettings settings = new TrainingSettings(3, 16, 7, OptimizerSettings.of(kind, kind == OptimizerKind.ADAM ? 0.01f : 0.1f));
        try (Backend backend = Backends.open(backendName)) {
            NetworkParameters expected;
            TrainingState start;
            TrainingResult whole;
            try (Trainer trainer = new Trainer(backend, SPEC, DATA, settings)) {
                start = new TrainingState(trainer.network().download(), trainer.optimizer().saveState(), 0, 0, 0, 0, 0);
                whole = trainer.train(new TrainingListener() { });
                expected = trainer.network().download();
            }
            try (Trainer trainer = new Trainer(backend, SPEC, DATA, settings)) {
                assertEquals(9, trainer.stepsPerEpoch());
                TrainingState state = start;
                while (state.epochsDone() < settings.epochs()) {
                    int epoch = state.epochsDone() + 1;
                    state = trainer.advance(state, piece);
                    if (state.epochsDone() == epoch) {
                        // At an epoch's end the sums are the epoch's: train() reports the same loss.
                        assertEquals(whole.epochs().get(epoch - 1).trainLoss(), state.epochLossSum() / 135.0, 1e-6);
                    }
                }
                assertEquals(27, state.step());
                for (int l = 0; l < expected.layerCount(); l++) {
                    assertArrayEquals(expected.weights().get(l), state.parameters().weights().get(l));
                    assertArrayEquals(expected.biases().get(l), state.parameters().biases().get(l));
                }
                TrainingState finished = state;
                assertThrows(IllegalArgumentException.class, () -> trainer.advance(finished, 1));
            }
        }
    }
}
