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
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code bp4j predict}: one line per input row, the predicted class for classification models,
 * the output values (comma-separated) for regression models. Inputs are raw features; the
 * model's saved scaling is applied to them.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Predict with a saved model, one output line per input row.")
final class PredictCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE|DIR", required = true,
            description = "a model saved by bp4j train --save, a checkpoint, or a --checkpoint-dir folder (its newest complete checkpoint)")
    private Path model;

    @Option(names = "--input", paramLabel = "FILE.csv", required = true,
            description = "rows of raw features, comma-separated, no label column; an optional header line")
    private Path input;

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
            if (saved.classification()) {
                for (int label : predictor.classes(features)) {
                    lines.append(label).append('\n');
                }
            } else {
                float[] outputs = predictor.outputs(features);
                int n = saved.spec().outputs();
                for (int row = 0; row < outputs.length / n; row++) {
                    for (int j = 0; j < n; j++) {
                        lines.append(j == 0 ? "" : ",").append(outputs[row * n + j]);
                    }
                    lines.append('\n');
                }
            }
        }
        out.print(lines);
        out.flush();
        return 0;
    }
}
