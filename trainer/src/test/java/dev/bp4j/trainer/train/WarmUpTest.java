package dev.bp4j.trainer.train;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Trainer#warmUp} runs real training steps on the backend, and changes nothing a run
 * computes after it: the same weights to the bit, nothing left allocated.
 */
class WarmUpTest {

    private static final NetworkSpec SPEC = NetworkSpec.of(new int[] {2, 12, 8, 3}, Activation.TANH, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
    private static final DataSplit DATA = SyntheticData.blobs(3, 45, 15, 21);
    private static final TrainingSettings SETTINGS = new TrainingSettings(2, 16, 7, OptimizerSettings.of(OptimizerKind.MOMENTUM, 0.1f));

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void aWarmUpChangesNoResultAndLeavesNothingAllocated(String backendName) {
        try (Backend backend = Backends.open(backendName)) {
            NetworkParameters cold = train(backend);
            long live = backend.stats().liveBuffers();
            long launches = backend.stats().kernelLaunches();
            Trainer.warmUp(backend, SPEC, SETTINGS, 1);
            assertEquals(live, backend.stats().liveBuffers(), "buffers left allocated by the warm-up");
            assertTrue(backend.stats().kernelLaunches() > launches + 1000, "the warm-up ran no training steps");
            ResumeTest.assertBitIdentical(cold, train(backend), backendName + " after a warm-up");
        }
    }

    private static NetworkParameters train(Backend backend) {
        try (Trainer trainer = new Trainer(backend, SPEC, DATA, SETTINGS)) {
            trainer.train(new TrainingListener() { }, new Safeguards(1, 0, null));
            return trainer.network().download();
        }
    }
}
