package dev.bp4j.benchmarks;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.DataSources;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.trainer.train.EpochSummary;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.Safeguards;
import dev.bp4j.trainer.train.Trainer;
import dev.bp4j.trainer.train.TrainingListener;
import dev.bp4j.trainer.train.TrainingResult;
import dev.bp4j.trainer.train.TrainingSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model of {@code bp4j train --backend cpu --data fashion-mnist --layers 784,256,256,10
 * --activation sigmoid --loss softmax-ce --optimizer momentum --lr 0.1 --batch 128 --epochs 10}
 * trained from a plain {@code main} through the library's public API alone, as an application
 * would embed it: run it with only {@code --add-modules jdk.incubator.vector
 * --enable-native-access=ALL-UNNAMED}, to show the library needs no other JVM flag for its speed
 * (benchmarks/library-speed.sh sets it against the command line).
 *
 * <p>Usage: {@code LibraryTraining REPORT.json [--warm-up]} ({@link Trainer#warmUp} before
 * training, as {@code bp4j train --warm-up}); the report carries the command line's
 * {@code --report} fields for speed: samples_per_second, train_seconds and per epoch
 * samples_per_second and seconds.
 */
public final class LibraryTraining {

    public static void main(String[] args) throws IOException, DataFormatException {
        boolean warmUp = args.length == 2 && args[1].equals("--warm-up");
        if (args.length != 1 && !warmUp) {
            System.err.println("usage: LibraryTraining REPORT.json [--warm-up]");
            System.exit(2);
        }
        try (Backend backend = Backends.open("cpu")) {
            DataSplit data = DataSources.load(DataRequest.of(DataSources.FASHION_MNIST));
            NetworkSpec spec = NetworkSpec.of(new int[] {784, 256, 256, 10}, Activation.SIGMOID,
                    LossFunction.SOFTMAX_CROSS_ENTROPY, true);
            TrainingSettings settings = new TrainingSettings(10, 128, 1, OptimizerSettings.of(OptimizerKind.MOMENTUM, 0.1f));
            // A divergence check after every step, as `bp4j train` does on the cpu backend.
            Safeguards safeguards = new Safeguards(1, 0, null);
            if (warmUp) {
                Trainer.warmUp(backend, spec, settings, safeguards.divergenceCheckEverySteps());
            }
            try (Trainer trainer = new Trainer(backend, spec, data, settings)) {
                TrainingResult result = trainer.train(new TrainingListener() { }, safeguards);
                Files.writeString(Path.of(args[0]), report(backend, result));
                System.out.printf("%.0f samples/s, test accuracy %.4f%n", result.samplesPerSecond(),
                        result.finalTest().accuracy());
            }
        }
    }

    private static String report(Backend backend, TrainingResult result) {
        JsonObject report = new JsonObject();
        report.addProperty("backend", backend.name());
        report.addProperty("device", backend.deviceDescription());
        report.addProperty("samples_per_second", result.samplesPerSecond());
        report.addProperty("train_seconds", result.trainSeconds());
        report.addProperty("test_accuracy", result.finalTest().accuracy());
        JsonArray epochs = new JsonArray();
        for (EpochSummary summary : result.epochs()) {
            JsonObject epoch = new JsonObject();
            epoch.addProperty("epoch", summary.epoch());
            epoch.addProperty("samples_per_second", summary.samplesPerSecond());
            epoch.addProperty("seconds", summary.seconds());
            epochs.add(epoch);
        }
        report.add("epochs", epochs);
        return new GsonBuilder().setPrettyPrinting().create().toJson(report) + "\n";
    }

    private LibraryTraining() {
    }
}
