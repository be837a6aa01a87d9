package dev.bp4j.spark;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.bp4j.trainer.BuildInfo;
import dev.bp4j.trainer.io.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The JSON that {@code bp4j-spark train --report} writes: {@code bp4j train}'s fields where they
 * apply, the partitions and sync interval, where each replica ran, and per epoch the time spent
 * computing (the slowest replica's local steps) against the time spent combining.
 */
final class SparkReport {

    private SparkReport() {
    }

    static void write(Path file, SparkTrainingRequest request, SparkTrainingResult result) throws IOException {
        JsonObject report = new JsonObject();
        report.addProperty("bp4j_version", BuildInfo.version());
        report.addProperty("backend", request.backend());
        report.addProperty("data", request.data().source());
        JsonArray layers = new JsonArray();
        for (int width : result.model().spec().widths()) {
            layers.add(width);
        }
        report.add("layers", layers);
        report.addProperty("activation", result.model().spec().hiddenActivation().id());
        report.addProperty("loss", result.model().spec().loss().id());
        report.addProperty("optimizer", request.settings().optimizer().kind().id());
        report.addProperty("learning_rate", request.settings().optimizer().learningRate());
        report.addProperty("batch_per_partition", request.settings().batchSize());
        report.addProperty("seed", request.settings().seed());
        report.addProperty("partitions", request.partitions());
        report.addProperty("sync_every", request.syncEvery());
        JsonObject workers = new JsonObject();
        result.workers().forEach((p, w) -> workers.addProperty(Integer.toString(p), w));
        report.add("workers", workers);
        report.addProperty("samples_per_second", result.samplesPerSecond());
        report.addProperty("train_seconds", result.trainSeconds());
        report.addProperty("test_accuracy", nullIfNaN(result.finalTest().accuracy()));
        report.addProperty("test_loss", result.finalTest().loss());
        report.addProperty("test_samples", result.finalTest().samples());
        JsonArray epochs = new JsonArray();
        for (SyncedEpoch e : result.epochs()) {
            JsonObject epoch = new JsonObject();
            epoch.addProperty("epoch", e.epoch());
            epoch.addProperty("train_loss", e.trainLoss());
            epoch.addProperty("train_accuracy", nullIfNaN(e.trainAccuracy()));
            epoch.addProperty("test_accuracy", nullIfNaN(e.test().accuracy()));
            epoch.addProperty("test_loss", e.test().loss());
            epoch.addProperty("samples_per_second", e.samplesPerSecond());
            epoch.addProperty("seconds", e.seconds());
            epoch.addProperty("compute_seconds", e.computeSeconds());
            epoch.addProperty("combine_seconds", e.combineSeconds());
            epoch.addProperty("syncs", e.syncs());
            epoch.addProperty("seconds_per_sync", e.secondsPerSync());
            epochs.add(epoch);
        }
        report.add("epochs", epochs);
        byte[] json = (new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(report) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, out -> out.write(json));
    }

    private static Double nullIfNaN(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
