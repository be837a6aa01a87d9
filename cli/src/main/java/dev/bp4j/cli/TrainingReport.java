package dev.bp4j.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.bp4j.trainer.BuildInfo;
import dev.bp4j.trainer.io.AtomicFile;
import dev.bp4j.trainer.io.WriteSteps;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.trainer.train.EpochSummary;
import dev.bp4j.trainer.train.TrainingRecipe;
import dev.bp4j.trainer.train.TrainingResult;
import dev.bp4j.trainer.train.TrainingSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The JSON that {@code train --report} writes: the run's configuration, its throughput over the
 * training loop only, its final test accuracy, the backend operations and transfers per step,
 * the steps done over the whole run, whether it was interrupted, and one entry per epoch finished
 * by this process. Accuracies are null for regression.
 */
final class TrainingReport {

    private TrainingReport() {
    }

    static JsonObject toJson(String backend, String device, String data, NetworkSpec spec, TrainingSettings settings,
                             int batch, TrainingResult result) {
        JsonObject report = new JsonObject();
        report.addProperty("bp4j_version", BuildInfo.version());
        report.addProperty("backend", backend);
        report.addProperty("device", device);
        report.addProperty("data", data);
        JsonArray layers = new JsonArray();
        for (int width : spec.widths()) {
            layers.add(width);
        }
        report.add("layers", layers);
        report.addProperty("activation", spec.hiddenActivation().id());
        report.addProperty("loss", spec.loss().id());
        report.addProperty("optimizer", settings.optimizer().kind().id());
        report.addProperty("learning_rate", settings.optimizer().learningRate());
        report.addProperty("batch", batch);
        report.addProperty("seed", settings.seed());
        TrainingRecipe recipe = settings.recipe();
        report.addProperty("weight_decay", recipe.weightDecay());
        report.addProperty("weight_decay_biases", recipe.decayBiases());
        report.addProperty("dropout", recipe.dropout());
        report.addProperty("input_dropout", recipe.inputDropout());
        report.addProperty("init", recipe.init().id());
        report.addProperty("lr_schedule", recipe.schedule().kind().id());
        report.addProperty("warmup_steps", recipe.schedule().warmupSteps());
        report.addProperty("lr_step_epochs", recipe.schedule().stepEpochs());
        report.addProperty("lr_step_gamma", recipe.schedule().gamma());
        report.addProperty("clip_norm", recipe.clipNorm());
        report.addProperty("validation_fraction", recipe.validationFraction());
        report.addProperty("early_stopping_patience", recipe.patience());
        report.addProperty("chosen_epoch", result.chosenEpoch());
        report.addProperty("chosen_by", recipe.validates() ? "lowest validation loss" : "last epoch");
        report.addProperty("stopped_early", result.stoppedEarly());
        report.addProperty("samples_per_second", result.samplesPerSecond());
        report.addProperty("train_seconds", result.trainSeconds());
        report.addProperty("test_accuracy", nullIfNaN(result.finalTest().accuracy()));
        report.addProperty("test_loss", result.finalTest().loss());
        report.addProperty("test_samples", result.finalTest().samples());
        report.addProperty("kernel_launches_per_step", result.kernelLaunchesPerStep());
        report.addProperty("transfers_per_step", result.transfersPerStep());
        report.addProperty("steps", result.steps());
        report.addProperty("interrupted", result.interrupted());
        JsonArray epochs = new JsonArray();
        for (EpochSummary summary : result.epochs()) {
            JsonObject epoch = new JsonObject();
            epoch.addProperty("epoch", summary.epoch());
            epoch.addProperty("train_loss", summary.trainLoss());
            epoch.addProperty("train_accuracy", nullIfNaN(summary.trainAccuracy()));
            epoch.addProperty("test_accuracy", nullIfNaN(summary.test().accuracy()));
            epoch.addProperty("test_loss", summary.test().loss());
            if (summary.validated()) {
                epoch.addProperty("validation_accuracy", nullIfNaN(summary.validation().accuracy()));
                epoch.addProperty("validation_loss", summary.validation().loss());
            }
            epoch.addProperty("learning_rate", summary.learningRate());
            epoch.addProperty("samples_per_second", summary.samplesPerSecond());
            epoch.addProperty("seconds", summary.seconds());
            epoch.addProperty("steps", summary.steps());
            epoch.addProperty("kernel_launches", summary.kernelLaunches());
            epoch.addProperty("transfers", summary.transfers());
            epochs.add(epoch);
        }
        report.add("epochs", epochs);
        return report;
    }

    static void write(Path file, JsonObject report) throws IOException {
        write(file, report, WriteSteps.DIRECT);
    }

    static void write(Path file, JsonObject report, WriteSteps steps) throws IOException {
        byte[] json = (new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(report) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, out -> out.write(json), steps);
    }

    private static Double nullIfNaN(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
