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

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A learning rate far too large makes the weights overflow; the run must stop at once and say where. */
class DivergenceTest {

    private static final NetworkSpec SPEC = NetworkSpec.of(new int[] {2, 16, 1}, Activation.RELU, LossFunction.QUADRATIC, false);
    private static final TrainingSettings HUGE_LEARNING_RATE = new TrainingSettings(20, 16, 3, OptimizerSettings.of(OptimizerKind.SGD, 1e30f));

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
