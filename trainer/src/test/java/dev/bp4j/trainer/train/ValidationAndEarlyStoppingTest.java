package dev.bp4j.trainer.train;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.Network;
import dev.bp4j.trainer.nn.NetworkSpec;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validation part: held out of the training part by the seed, evaluated after each epoch;
 * the run ends with the epoch of lowest validation loss, scored on test only then, and stops
 * after the patience runs out. The test part never takes part in the choice.
 */
class ValidationAndEarlyStoppingTest {

    private static final NetworkSpec SPEC = NetworkSpec.of(new int[] {2, 16, 3}, Activation.RELU, LossFunction.SOFTMAX_CROSS_ENTROPY, true);

    @Test
    void theValidationPartIsASeededDisjointShareOfTheTrainingPart() {
        DataSplit data = SyntheticData.blobs(3, 100, 20, 3);
        ValidationSplit split = ValidationSplit.of(data.train(), 0.2, 11);
        assertEquals(60, split.validation().sampleCount());
        assertEquals(240, split.train().sampleCount());
        Set<String> rows = new HashSet<>();
        for (Dataset part : new Dataset[] {split.train(), split.validation()}) {
            for (int i = 0; i < part.sampleCount(); i++) {
                assertTrue(rows.add(part.features()[2 * i] + "," + part.features()[2 * i + 1]), "each row lands in one part");
            }
        }
        assertEquals(300, rows.size());
        assertEquals(ValidationSplit.of(data.train(), 0.2, 11).validation().features()[0], split.validation().features()[0]);
        assertFalse(ValidationSplit.of(data.train(), 0.2, 12).validation().features()[0] == split.validation().features()[0]
                && ValidationSplit.of(data.train(), 0.2, 12).validation().features()[1] == split.validation().features()[1],
                "another seed holds out other rows");
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(data.train(), 0.001, 1));
    }

    @Test
    void theRunEndsWithTheEpochOfLowestValidationLossAndScoresOnlyItOnTest() {
        // A large learning rate makes the validation loss wander, so the best epoch is rarely the last.
        DataSplit data = SyntheticData.blobs(3, 80, 40, 9);
        TrainingSettings settings = new TrainingSettings(12, 16, 4, OptimizerSettings.of(OptimizerKind.SGD, 2f),
                TrainingRecipe.NONE.withValidation(0.25, 0));
        try (Backend backend = Backends.open("reference");
             Trainer trainer = new Trainer(backend, SPEC, data, settings)) {
            assertEquals(180, trainer.trainingSamples());
            TrainingResult result = trainer.train(new TrainingListener() { });
            EpochSummary best = result.epochs().stream().min(Comparator.comparingDouble(e -> e.validation().loss())).orElseThrow();
            assertEquals(best.epoch(), result.chosenEpoch());
            assertFalse(result.stoppedEarly());
            assertEquals(12, result.epochs().size());
            // The network holds the chosen epoch's parameters: its test score is that epoch's.
            assertEquals(best.test(), result.finalTest());
            try (Network copy = new Network(backend, SPEC, trainer.network().download());
                 DeviceDataset test = new DeviceDataset(backend, data.test());
                 Evaluator evaluator = new Evaluator(backend, SPEC, true)) {
                assertEquals(result.finalTest(), evaluator.evaluate(copy, test));
            }
        }
    }

    @Test
    void earlyStoppingEndsTheRunWhenThePatienceRunsOut() {
        DataSplit data = SyntheticData.blobs(3, 80, 40, 9);
        TrainingSettings settings = new TrainingSettings(200, 16, 4, OptimizerSettings.of(OptimizerKind.ADAM, 0.05f),
                TrainingRecipe.NONE.withValidation(0.25, 3));
        try (Backend backend = Backends.open("reference");
             Trainer trainer = new Trainer(backend, SPEC, data, settings)) {
            TrainingResult result = trainer.train(new TrainingListener() { });
            assertTrue(result.stoppedEarly(), "200 epochs on 180 samples overfit long before the end");
            assertEquals(result.chosenEpoch() + 3, result.epochs().size(), "stopped 3 epochs after the best");
            for (EpochSummary later : result.epochs().subList(result.chosenEpoch(), result.epochs().size())) {
                assertTrue(later.validation().loss() >= result.epochs().get(result.chosenEpoch() - 1).validation().loss());
            }
        }
    }

    @Test
    void withoutValidationTheLastEpochIsTheModel() {
        DataSplit data = SyntheticData.blobs(3, 40, 20, 9);
        try (Backend backend = Backends.open("reference");
             Trainer trainer = new Trainer(backend, SPEC, data, new TrainingSettings(3, 16, 4, OptimizerSettings.of(OptimizerKind.ADAM, 0.01f)))) {
            TrainingResult result = trainer.train(new TrainingListener() { });
            assertEquals(3, result.chosenEpoch());
            assertNull(result.epochs().getLast().validation());
            assertEquals(result.epochs().getLast().test(), result.finalTest());
        }
    }

    @Test
    void earlyStoppingWithoutAValidationPartIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.NONE.withValidation(0, 5));
        assertTrue(e.getMessage().contains("validation"), e.getMessage());
    }
}
