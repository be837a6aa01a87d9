package dev.bp4j.trainer.checkpoint;

import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.model.MetadataFields;
import dev.bp4j.trainer.nn.WeightInit;
import dev.bp4j.trainer.train.LearningRateSchedule;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.TrainingRecipe;
import dev.bp4j.trainer.train.TrainingResult;
import dev.bp4j.trainer.train.TrainingSettings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code training.*} metadata strings of checkpoints and model files: every setting a run
 * trained with, and, in a model file, which epoch it holds and why. {@code eval} and
 * {@code predict} never read them. Files written before the recipe existed have no
 * {@code training.weight_decay} and the rest; they read as {@link TrainingRecipe#NONE}.
 */
public final class TrainingMetadata {

    private TrainingMetadata() {
    }

    /** The settings and the outcome of a finished run, for its model file. */
    public static Map<String, String> forModel(TrainingSettings settings, TrainingResult result) {
        Map<String, String> metadata = new LinkedHashMap<>();
        put(metadata, settings);
        metadata.put("training.epochs_run", Integer.toString(result.epochs().size()));
        metadata.put("training.chosen_epoch", Integer.toString(result.chosenEpoch()));
        metadata.put("training.chosen_by", settings.recipe().validates() ? "lowest validation loss" : "last epoch");
        metadata.put("training.stopped_early", Boolean.toString(result.stoppedEarly()));
        return metadata;
    }

    static void put(Map<String, String> metadata, TrainingSettings settings) {
        OptimizerSettings optimizer = settings.optimizer();
        metadata.put("training.epochs", Integer.toString(settings.epochs()));
        metadata.put("training.batch", Integer.toString(settings.batchSize()));
        metadata.put("training.seed", Long.toString(settings.seed()));
        metadata.put("training.optimizer", optimizer.kind().id());
        metadata.put("training.learning_rate", Float.toString(optimizer.learningRate()));
        metadata.put("training.momentum", Float.toString(optimizer.momentum()));
        metadata.put("training.beta1", Float.toString(optimizer.beta1()));
        metadata.put("training.beta2", Float.toString(optimizer.beta2()));
        metadata.put("training.epsilon", Float.toString(optimizer.epsilon()));
        TrainingRecipe recipe = settings.recipe();
        metadata.put("training.weight_decay", Float.toString(recipe.weightDecay()));
        metadata.put("training.weight_decay_biases", Boolean.toString(recipe.decayBiases()));
        metadata.put("training.dropout", Float.toString(recipe.dropout()));
        metadata.put("training.input_dropout", Float.toString(recipe.inputDropout()));
        metadata.put("training.init", recipe.init().id());
        metadata.put("training.lr_schedule", recipe.schedule().kind().id());
        metadata.put("training.warmup_steps", Integer.toString(recipe.schedule().warmupSteps()));
        metadata.put("training.lr_step_epochs", Integer.toString(recipe.schedule().stepEpochs()));
        metadata.put("training.lr_step_gamma", Float.toString(recipe.schedule().gamma()));
        metadata.put("training.clip_norm", Float.toString(recipe.clipNorm()));
        metadata.put("training.validation_fraction", Double.toString(recipe.validationFraction()));
        metadata.put("training.early_stopping", Integer.toString(recipe.patience()));
    }

    static TrainingSettings read(MetadataFields meta) throws DataFormatException {
        OptimizerKind kind;
        try {
            kind = OptimizerKind.fromId(meta.require("training.optimizer"));
        } catch (IllegalArgumentException e) {
            throw meta.error("training.optimizer", e.getMessage());
        }
        try {
            OptimizerSettings optimizer = new OptimizerSettings(kind, meta.finiteFloat("training.learning_rate"),
                    meta.finiteFloat("training.momentum"), meta.finiteFloat("training.beta1"), meta.finiteFloat("training.beta2"),
                    meta.finiteFloat("training.epsilon"));
            return new TrainingSettings(meta.integer("training.epochs"), meta.integer("training.batch"), meta.longInteger("training.seed"),
                    optimizer, recipe(meta));
        } catch (IllegalArgumentException e) {
            throw DataFormatException.at(meta.file(), "header entry '__metadata__.training'", e.getMessage());
        }
    }

    private static TrainingRecipe recipe(MetadataFields meta) throws DataFormatException {
        if (!meta.values().containsKey("training.weight_decay")) {
            return TrainingRecipe.NONE;
        }
        LearningRateSchedule.Kind schedule;
        try {
            schedule = LearningRateSchedule.Kind.fromId(meta.require("training.lr_schedule"));
        } catch (IllegalArgumentException e) {
            throw meta.error("training.lr_schedule", e.getMessage());
        }
        String biases = meta.require("training.weight_decay_biases");
        if (!biases.equals("true") && !biases.equals("false")) {
            throw meta.error("training.weight_decay_biases", "expected true or false, found '" + biases + "'");
        }
        // Files written before input dropout and the init choice existed have no keys for them,
        // and trained without input dropout from the automatic initialisation.
        float inputDropout = meta.values().containsKey("training.input_dropout") ? meta.finiteFloat("training.input_dropout") : 0f;
        WeightInit init;
        try {
            init = WeightInit.fromId(meta.values().getOrDefault("training.init", WeightInit.AUTO.id()));
        } catch (IllegalArgumentException e) {
            throw meta.error("training.init", e.getMessage());
        }
        return new TrainingRecipe(meta.finiteFloat("training.weight_decay"), biases.equals("true"), meta.finiteFloat("training.dropout"),
                inputDropout, new LearningRateSchedule(schedule, meta.count("training.warmup_steps"), meta.integer("training.lr_step_epochs"),
                        meta.finiteFloat("training.lr_step_gamma")),
                meta.finiteFloat("training.clip_norm"), meta.fraction("training.validation_fraction"), meta.count("training.early_stopping"),
                init);
    }
}
