package dev.bp4j.cli;

import dev.bp4j.api.Backend;
import dev.bp4j.trainer.checkpoint.TrainedModels;
import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.DataSources;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import dev.bp4j.trainer.data.FeatureScaling;
import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.nn.Network;
import dev.bp4j.trainer.train.DeviceDataset;
import dev.bp4j.trainer.train.Evaluation;
import dev.bp4j.trainer.train.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bp4j eval}: the test accuracy of a saved model. Without {@code --data} it rebuilds the
 * very split training used (source, seed, fraction and scaling from the model's metadata), so
 * on the same backend it reproduces the accuracy {@code train} reported. With {@code --data} it
 * reads that source unscaled and applies the model's own scaling.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a saved model on the test part of a data set.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE|DIR", required = true,
            description = "a model saved by bp4j train --save, a checkpoint, or a --checkpoint-dir folder (its newest complete checkpoint)")
    private Path model;

    @Option(names = "--data", paramLabel = "SOURCE", description = "data to evaluate on (default: the data the model was trained on)")
    private String data;

    @Option(names = "--label-column", paramLabel = "N", description = "CSV: the 0-based label column (default: the model's)")
    private Integer labelColumn;

    @Mixin
    private BackendSelection backendSelection;

    @Mixin
    private VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SavedModel saved = TrainedModels.load(model, skipped -> spec.commandLine().getErr().println("warning: " + skipped));
        Dataset test = data == null ? trainingSplit(saved, err) : otherData(saved);
        if (test.featureCount() != saved.spec().inputs() || test.targetCount() != saved.spec().outputs()) {
            throw new DataFormatException(test.name() + ": " + test.featureCount() + " features and " + test.targetCount()
                    + " targets, but the model " + model + " takes " + saved.spec().inputs() + " and gives " + saved.spec().outputs());
        }
        try (Backend backend = backendSelection.open(err);
             Network network = new Network(backend, saved.spec(), saved.parameters());
             DeviceDataset device = new DeviceDataset(backend, test);
             Evaluator evaluator = new Evaluator(backend, saved.spec(), saved.classification())) {
            Evaluation result = evaluator.evaluate(network, device);
            String quality = result.hasAccuracy()
                    ? String.format(Locale.ROOT, "test accuracy %.4f", result.accuracy())
                    : String.format(Locale.ROOT, "test loss %.6f", result.loss());
            out.printf(Locale.ROOT, "%s: %s, loss %.6f (%d samples of %s, backend %s)%n", model, quality, result.loss(),
                    result.samples(), test.name(), backend.name());
            out.flush();
        }
        return 0;
    }

    /** The split the model was trained with; its test part, or the training set where there is none (xor). */
    private static Dataset trainingSplit(SavedModel saved, PrintWriter err) throws DataFormatException {
        DataSplit split = DataSources.load(saved.data());
        if (!sameScaling(split.scaling(), saved.scaling())) {
            err.println("warning: " + saved.data().source() + " now scales differently from when the model was trained;"
                    + " using the data's current scaling");
        }
        return split.test().sampleCount() > 0 ? split.test() : split.train();
    }

    private Dataset otherData(SavedModel saved) throws DataFormatException {
        Path path = Path.of(data);
        String source = Files.exists(path) ? path.toAbsolutePath().normalize().toString() : data;
        DataRequest request = new DataRequest(source, labelColumn != null ? labelColumn : saved.data().labelColumn(),
                saved.data().testFraction(), saved.data().seed(), FeatureScaling.NONE);
        DataSplit split = DataSources.load(request);
        Dataset test = split.test().sampleCount() > 0 ? split.test() : split.train();
        if (test.featureCount() == saved.scaling().featureCount()) { // otherwise call() reports the mismatch
            saved.scaling().applyInPlace(test.features());
        }
        return test;
    }

    private static boolean sameScaling(FeatureScaling a, FeatureScaling b) {
        return a.method().equals(b.method()) && Arrays.equals(a.offset(), b.offset()) && Arrays.equals(a.scale(), b.scale());
    }
}
