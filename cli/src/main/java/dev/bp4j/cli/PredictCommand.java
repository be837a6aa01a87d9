package dev.bp4j.cli;

import dev.bp4j.api.Backend;
import dev.bp4j.trainer.checkpoint.TrainedModels;
import dev.bp4j.trainer.data.DataSources;
import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.nn.Network;
import dev.bp4j.trainer.train.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bp4j predict}: one line per input row: the predicted class, the class probabilities,
 * or the network's output values (comma-separated), as {@code --output} says. Inputs are raw
 * features; the model's saved scaling is applied to them.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, description = {"Predict with a saved model, one output line per input row:",
        "  class          the predicted class, 0 to classes - 1 (the default for classification models)",
        "  probabilities  the probability of each class, comma-separated (for one 0/1 output: P(0),P(1))",
        "  value          the network's outputs, comma-separated: logits for softmax-ce and bce, the prediction for",
        "                 regression (the default for regression models)"})
final class PredictCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE|DIR", required = true,
            description = "a model saved by bp4j train --save, a checkpoint, or a --checkpoint-dir folder (its newest complete checkpoint)")
    private Path model;

    @Option(names = "--input", paramLabel = "FILE.csv", required = true,
            description = "rows of raw features, comma-separated, no label column; an optional header line")
    private Path input;

    /** What each output line holds. */
    enum Output {
        CLASS, PROBABILITIES, VALUE
    }

    @Option(names = "--output", paramLabel = "WHAT", description = "class, probabilities or value (default: class for classification, "
            + "value for regression models)")
    private Output output;

    @Mixin
    private BackendSelection backendSelection;

    @Mixin
    private VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SavedModel saved = TrainedModels.load(model, skipped -> spec.commandLine().getErr().println("warning: " + skipped));
        float[] features = DataSources.readFeatures(input, saved.spec().inputs());
        saved.scaling().applyInPlace(features);
        StringBuilder lines = new StringBuilder();
        try (Backend backend = backendSelection.open(spec.commandLine().getErr());
             Network network = new Network(backend, saved.spec(), saved.parameters());
             Predictor predictor = new Predictor(backend, network)) {
            Output what = output != null ? output : saved.classification() ? Output.CLASS : Output.VALUE;
            if (what != Output.VALUE && !saved.classification()) {
                throw new ParameterException(spec.commandLine(), "--output " + what.name().toLowerCase(Locale.ROOT) + ": " + model
                        + " is a regression model, which predicts values; use --output value");
            }
            switch (what) {
                case CLASS -> {
                    for (int label : predictor.classes(features)) {
                        lines.append(label).append('\n');
                    }
                }
                case PROBABILITIES -> appendRows(lines, predictor.probabilities(features, true), features.length / saved.spec().inputs());
                case VALUE -> appendRows(lines, predictor.outputs(features), features.length / saved.spec().inputs());
            }
        }
        out.print(lines);
        out.flush();
        return 0;
    }

    /** {@code values} as {@code rows} comma-separated lines. */
    private static void appendRows(StringBuilder lines, float[] values, int rows) {
        int n = values.length / rows;
        for (int row = 0; row < rows; row++) {
            for (int j = 0; j < n; j++) {
                lines.append(j == 0 ? "" : ",").append(values[row * n + j]);
            }
            lines.append('\n');
        }
    }
}
