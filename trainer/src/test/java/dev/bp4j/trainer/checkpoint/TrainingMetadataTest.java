package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.model.ModelFile;
import dev.bp4j.trainer.model.SafetensorsFile;
import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.nn.WeightInit;
import dev.bp4j.trainer.train.EarlyStoppingState;
import dev.bp4j.trainer.train.EpochSummary;
import dev.bp4j.trainer.train.Evaluation;
import dev.bp4j.trainer.train.LearningRateSchedule;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.TrainingRecipe;
import dev.bp4j.trainer.train.TrainingResult;
import dev.bp4j.trainer.train.TrainingSettings;
import dev.bp4j.trainer.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every recipe setting is recorded in model files and checkpoints and read back; files written
 * before the recipe existed (fixtures made by the commit before it: an xor model and its
 * checkpoint) still load, as plain training; a model file's training settings do not change
 * what it decodes to.
 */
class TrainingMetadataTest {

    private static final TrainingRecipe RECIPE = new TrainingRecipe(0.05f, true, 0.25f, 0.125f,
            new LearningRateSchedule(LearningRateSchedule.Kind.STEP, 100, 3, 0.5f), 2.5f, 0.1, 4, WeightInit.FAN_IN);

    @Test
    void aCheckpointCarriesEveryRecipeSetting(@TempDir Path dir) throws Exception {
        Checkpoint original = SampleCheckpoints.at(5, OptimizerKind.ADAM);
        TrainingSettings settings = new TrainingSettings(original.settings().epochs(), original.settings().batchSize(),
                original.settings().seed(), original.settings().optimizer(), RECIPE);
        Path file = dir.resolve("c.safetensors");
        TrainingState state = original.state();
        EarlyStoppingState best = new EarlyStoppingState(3, 0.25, 1, state.parameters());
        TrainingState validating = new TrainingState(state.parameters(), state.optimizer(), state.epochsDone(), state.stepInEpoch(),
                state.step(), state.epochLossSum(), state.epochCorrect(), best);
        CheckpointFile.write(file, new Checkpoint(original.model(), settings, validating));
        Checkpoint read = CheckpointFile.read(file);
        assertEquals(settings, read.settings());
        EarlyStoppingState readBest = read.state().earlyStopping();
        assertEquals(3, readBest.bestEpoch());
        assertEquals(0.25, readBest.bestLoss());
        assertEquals(1, readBest.epochsWithoutImprovement());
        for (int l = 0; l < state.parameters().layerCount(); l++) {
            assertArrayEquals(state.parameters().weights().get(l), readBest.bestParameters().weights().get(l));
            assertArrayEquals(state.parameters().biases().get(l), readBest.bestParameters().biases().get(l));
        }
    }

    @Test
    void aModelFileRecordsTheRunAndDecodesAsBefore(@TempDir Path dir) throws Exception {
        SavedModel model = SampleCheckpoints.at(5, OptimizerKind.SGD).model();
        TrainingSettings settings = new TrainingSettings(20, 128, 3, OptimizerSettings.of(OptimizerKind.ADAM, 0.001f), RECIPE);
        Evaluation evaluation = new Evaluation(10, 0.5, 0.9);
        EpochSummary epoch = new EpochSummary(1, 5, 0.6, 0.8, evaluation, 1, 100, 10, 0, evaluation, 0.001);
        TrainingResult result = new TrainingResult(List.of(epoch, epoch), 2, 100, evaluation, 10, 0, 10, false, 1, true);
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, model, TrainingMetadata.forModel(settings, result));
        Map<String, String> metadata = SafetensorsFile.read(file).metadata();
        assertEquals("0.25", metadata.get("training.dropout"));
        assertEquals("0.125", metadata.get("training.input_dropout"));
        assertEquals("fan-in", metadata.get("training.init"));
        assertEquals("step", metadata.get("training.lr_schedule"));
        assertEquals("100", metadata.get("training.warmup_steps"));
        assertEquals("2.5", metadata.get("training.clip_norm"));
        assertEquals("0.05", metadata.get("training.weight_decay"));
        assertEquals("true", metadata.get("training.weight_decay_biases"));
        assertEquals("0.1", metadata.get("training.validation_fraction"));
        assertEquals("4", metadata.get("training.early_stopping"));
        assertEquals("1", metadata.get("training.chosen_epoch"));
        assertEquals("lowest validation loss", metadata.get("training.chosen_by"));
        assertEquals("true", metadata.get("training.stopped_early"));
        SavedModel read = ModelFile.load(file);
        assertEquals(model.spec(), read.spec());
        assertEquals(model.data(), read.data());
    }

    @Test
    void filesFromBeforeTheRecipeStillLoad(@TempDir Path dir) throws Exception {
        Path model = copy("model-before-recipes.safetensors", dir);
        SavedModel loaded = TrainedModels.load(model, warning -> { });
        assertEquals("2,2,1", loaded.spec().architecture());
        Path checkpoint = copy("checkpoint-before-recipes.safetensors", dir);
        Checkpoint read = CheckpointFile.read(checkpoint);
        assertEquals(TrainingRecipe.NONE, read.settings().recipe());
        assertEquals(OptimizerKind.MOMENTUM, read.settings().optimizer().kind());
        assertEquals(3, read.state().epochsDone());
    }

    private static Path copy(String resource, Path dir) throws Exception {
        Path file = dir.resolve(resource);
        try (InputStream in = TrainingMetadataTest.class.getResourceAsStream(resource)) {
            Files.copy(in, file);
        }
        return file;
    }
}
