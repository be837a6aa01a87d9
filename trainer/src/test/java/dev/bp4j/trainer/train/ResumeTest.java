package dev.bp4j.trainer.train;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run resumed from any of its checkpoints ends bit-identical to the run that never stopped, on
 * the CPU backends: the same weights, optimizer state and per-epoch losses; with the recipe too
 * (dropout masks regenerated from the seed and the step, the schedule from the step, weight
 * decay and clipping). (The file round trip
 * of the state is covered by the checkpoint tests and, end to end, by the CLI crash tests.)
 */
class ResumeTest {

    private static final NetworkSpec SPEC = NetworkSpec.of(new int[] {2, 12, 8, 3}, Activation.TANH, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
    // 3 × 45 = 135 samples in batches of 16: eight full steps and a remainder of 7 per epoch.
    private static final DataSplit DATA = SyntheticData.blobs(3, 45, 15, 21);

    /** Dropout of hidden units and inputs, AdamW or L2 decay, clipping and a cosine schedule with warm-up, all at once. */
    private static final TrainingRecipe RECIPE = TrainingRecipe.NONE.withDropout(0.3f).withInputDropout(0.1f).withWeightDecay(0.01f, false)
            .withClipNorm(0.5f).withSchedule(new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 5, 1, 1f));

    @ParameterizedTest(name = "{0} {1} recipe={2}")
    @CsvSource({"reference, ADAM, false", "reference, MOMENTUM, false", "reference, SGD, false", "cpu, ADAM, false",
            "cpu, MOMENTUM, false", "reference, ADAM, true", "cpu, ADAM, true", "cpu, MOMENTUM, true", "cpu, SGD, true"})
    void aResumedRunEndsBitIdenticalToAnUninterruptedOne(String backendName, OptimizerKind kind, boolean recipe) {
        TrainingSettings settings = new TrainingSettings(4, 16, 7, OptimizerSettings.of(kind, kind == OptimizerKind.ADAM ? 0.01f : 0.1f),
                recipe ? RECIPE : TrainingRecipe.NONE);
        try (Backend backend = Backends.open(backendName)) {
            List<TrainingState> checkpoints = new ArrayList<>();
            TrainingResult uninterrupted;
            NetworkParameters expected;
            OptimizerState expectedOptimizer;
            try (Trainer trainer = new Trainer(backend, SPEC, DATA, settings)) {
                // Every 4 steps: mid-epoch positions (steps 4 and 8 of a 9-step epoch) and epoch ends.
                uninterrupted = trainer.train(new TrainingListener() { }, new Safeguards(1, 4, checkpoints::add));
                expected = trainer.network().download();
                expectedOptimizer = trainer.optimizer().saveState();
            }
            assertTrue(checkpoints.stream().anyMatch(s -> s.stepInEpoch() > 0) && checkpoints.stream().anyMatch(s -> s.stepInEpoch() == 0));
            for (TrainingState from : checkpoints) {
                if (from.epochsDone() >= settings.epochs()) {
                    continue; // the end of the run: nothing left to resume
                }
                try (Trainer trainer = Trainer.resume(backend, SPEC, DATA, settings, from)) {
                    TrainingResult resumed = trainer.train(new TrainingListener() { }, new Safeguards(1, 0, null));
                    String where = backendName + " " + kind + " resumed at step " + from.step();
                    assertBitIdentical(expected, trainer.network().download(), where);
                    OptimizerState optimizer = trainer.optimizer().saveState();
                    assertEquals(expectedOptimizer.updates(), optimizer.updates(), where);
                    for (int slot = 0; slot < optimizer.slots().size(); slot++) {
                        for (int p = 0; p < optimizer.slots().get(slot).size(); p++) {
                            assertArrayEquals(expectedOptimizer.slots().get(slot).get(p), optimizer.slots().get(slot).get(p), where);
                        }
                    }
                    // The epochs the resumed run finished report the same losses, including a half-resumed epoch.
                    for (EpochSummary epoch : resumed.epochs()) {
                        EpochSummary original = uninterrupted.epochs().get(epoch.epoch() - 1);
                        assertEquals(original.trainLoss(), epoch.trainLoss(), where + ", epoch " + epoch.epoch());
                        assertEquals(original.test(), epoch.test(), where + ", epoch " + epoch.epoch());
                    }
                }
            }
        }
    }

    /** With a validation part: the best epoch so far travels in the state, so the resumed run chooses and stops the same. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"reference", "cpu"})
    void aResumedValidatingRunChoosesAndStopsLikeAnUninterruptedOne(String backendName) {
        NetworkSpec spec = NetworkSpec.of(new int[] {2, 16, 3}, Activation.RELU, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        DataSplit data = SyntheticData.blobs(3, 80, 40, 9);
        // 180 samples overfit long before 200 epochs: the patience runs out.
        TrainingSettings settings = new TrainingSettings(200, 16, 4, OptimizerSettings.of(OptimizerKind.ADAM, 0.05f),
                TrainingRecipe.NONE.withDropout(0.1f).withValidation(0.25, 3));
        try (Backend backend = Backends.open(backendName)) {
            List<TrainingState> checkpoints = new ArrayList<>();
            TrainingResult uninterrupted;
            NetworkParameters expected;
            try (Trainer trainer = new Trainer(backend, spec, data, settings)) {
                uninterrupted = trainer.train(new TrainingListener() { }, new Safeguards(1, 5, checkpoints::add));
                expected = trainer.network().download();
            }
            assertTrue(uninterrupted.stoppedEarly(), "the run stops early: " + uninterrupted.epochs().size() + " epochs");
            for (int c = 0; c < checkpoints.size(); c += Math.max(1, checkpoints.size() / 12)) {
                TrainingState from = checkpoints.get(c);
                if (from.epochsDone() >= uninterrupted.epochs().size()) {
                    continue;
                }
                assertTrue(from.epochsDone() == 0 || from.earlyStopping() != null, "the state carries the best epoch so far");
                try (Trainer trainer = Trainer.resume(backend, spec, data, settings, from)) {
                    TrainingResult resumed = trainer.train(new TrainingListener() { }, new Safeguards(1, 0, null));
                    String where = backendName + " resumed at step " + from.step();
                    assertEquals(uninterrupted.chosenEpoch(), resumed.chosenEpoch(), where);
                    assertEquals(uninterrupted.epochs().getLast().epoch(), resumed.epochs().getLast().epoch(), where);
                    assertEquals(uninterrupted.finalTest(), resumed.finalTest(), where);
                    assertBitIdentical(expected, trainer.network().download(), where);
                }
            }
        }
    }

    /**
     * {@link Trainer#requestStop} (what Ctrl-C calls) ends the run at a step boundary with a last
     * checkpoint there, from which a resumed run ends bit-identical to one never stopped.
     */
    @Test
    void aStoppedRunKeepsALastCheckpointAtItsStepAndResumesBitIdentical() {
        TrainingSettings settings = new TrainingSettings(3, 16, 7, OptimizerSettings.of(OptimizerKind.ADAM, 0.01f));
        try (Backend backend = Backends.open("reference")) {
            NetworkParameters expected;
            try (Trainer trainer = new Trainer(backend, SPEC, DATA, settings)) {
                trainer.train(new TrainingListener() { });
                expected = trainer.network().download();
            }
            List<TrainingState> saved = new ArrayList<>();
            try (Trainer trainer = new Trainer(backend, SPEC, DATA, settings)) {
                TrainingResult stopped = trainer.train(new TrainingListener() {
                    @Override
                    public void stepFinished(long step) {
                        if (step == 12) {
                            trainer.requestStop();
                        }
                    }
                }, new Safeguards(1, 0, saved::add));
                assertTrue(stopped.interrupted());
                assertEquals(12, stopped.steps());
                assertEquals(1, stopped.epochs().size(), "epoch 1 finished, epoch 2 stopped after 3 of its 9 steps");
            }
            TrainingState last = saved.getLast();
            assertEquals(12, last.step());
            assertEquals(1, last.epochsDone());
            assertEquals(3, last.stepInEpoch());
            try (Trainer trainer = Trainer.resume(backend, SPEC, DATA, settings, last)) {
                assertTrue(!trainer.train(new TrainingListener() { }).interrupted());
                assertBitIdentical(expected, trainer.network().download(), "resumed after the stop");
            }
        }
    }

    /** A run killed while writing its outputs left a checkpoint of its end: resuming it trains nothing and evaluates. */
    @Test
    void aFinishedRunResumedTrainsNothingAndEvaluatesTheModel() {
        TrainingSettings settings = new TrainingSettings(2, 16, 7, OptimizerSettings.of(OptimizerKind.SGD, 0.1f));
        try (Backend backend = Backends.open("reference")) {
            List<TrainingState> saved = new ArrayList<>();
            TrainingResult finished;
            try (Trainer trainer = new Trainer(backend, SPEC, DATA, settings)) {
                finished = trainer.train(new TrainingListener() { }, new Safeguards(1, 0, saved::add));
            }
            try (Trainer trainer = Trainer.resume(backend, SPEC, DATA, settings, saved.getLast())) {
                TrainingResult again = trainer.train(new TrainingListener() { });
                assertEquals(List.of(), again.epochs());
                assertEquals(finished.steps(), again.steps());
                assertEquals(finished.finalTest(), again.finalTest());
                assertBitIdentical(saved.getLast().parameters(), trainer.network().download(), "nothing trained");
            }
        }
    }

    /** A state from another run is refused whole: nothing stays allocated, nothing is half restored. */
    @Test
    void aStateThatDoesNotFitIsRefusedBeforeAnythingIsKept() {
        TrainingSettings adam = new TrainingSettings(3, 16, 7, OptimizerSettings.of(OptimizerKind.ADAM, 0.01f));
        List<TrainingState> states = new ArrayList<>();
        try (Backend backend = Backends.open("reference")) {
            try (Trainer trainer = new Trainer(backend, SPEC, DATA, adam)) {
                trainer.train(new TrainingListener() { }, new Safeguards(1, 4, states::add));
            }
            long live = backend.stats().liveBuffers();
            TrainingState midEpoch = states.getFirst();

            TrainingSettings momentum = new TrainingSettings(3, 16, 7, OptimizerSettings.of(OptimizerKind.MOMENTUM, 0.01f));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Trainer.resume(backend, SPEC, DATA, momentum, midEpoch));
            assertTrue(e.getMessage().contains("adam") && e.getMessage().contains("momentum"), e.getMessage());

            // Step 12 is 3 steps into epoch 2 in epochs of 9 steps; in epochs of 5 (batches of 32) it cannot be.
            TrainingState secondEpoch = states.stream().filter(st -> st.epochsDone() == 1).findFirst().orElseThrow();
            TrainingSettings otherBatch = new TrainingSettings(3, 32, 7, adam.optimizer());
            e = assertThrows(IllegalArgumentException.class, () -> Trainer.resume(backend, SPEC, DATA, otherBatch, secondEpoch));
            assertTrue(e.getMessage().contains("batch size"), e.getMessage());

            TrainingSettings done = new TrainingSettings(1, 16, 7, adam.optimizer());
            e = assertThrows(IllegalArgumentException.class, () -> Trainer.resume(backend, SPEC, DATA, done, states.getLast()));
            assertTrue(e.getMessage().contains("already finished"), e.getMessage());

            assertEquals(live, backend.stats().liveBuffers(), "every buffer of the refused trainers was released");
        }
    }

    static void assertBitIdentical(NetworkParameters expected, NetworkParameters actual, String where) {
        for (int l = 0; l < expected.layerCount(); l++) {
            assertArrayEquals(expected.weights().get(l), actual.weights().get(l), where + ": weights of layer " + l);
            assertArrayEquals(expected.biases().get(l), actual.biases().get(l), where + ": bias of layer " + l);
        }
    }
}
