package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.trainer.nn.BatchWorkspace;
import dev.bp4j.trainer.nn.Network;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkSpec;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a network forward over feature rows held on the host and returns its outputs: logits
 * for the cross-entropy losses, activations otherwise. Rows go up and outputs come back in
 * chunks of {@link Evaluator#CHUNK_ROWS}.
 */
public final class Predictor implements AutoCloseable {

    private final Backend backend;
    private final Network network;
    private final Map<Integer, BatchWorkspace> workspaces = new HashMap<>();

    public Predictor(Backend backend, Network network) {
        this.backend = backend;
        this.network = network;
    }

    /** features: rows × inputs, row-major; returns rows × outputs, row-major. */
    public float[] outputs(float[] features) {
        NetworkSpec spec = network.spec();
        int rows = features.length / spec.inputs();
        if ((long) rows * spec.inputs() != features.length) {
            throw new IllegalArgumentException(features.length + " values are not whole rows of " + spec.inputs() + " features");
        }
        float[] outputs = new float[rows * spec.outputs()];
        for (int start = 0; start < rows; start += Evaluator.CHUNK_ROWS) {
            int chunk = Math.min(Evaluator.CHUNK_ROWS, rows - start);
            BatchWorkspace ws = workspaces.computeIfAbsent(chunk, r -> new BatchWorkspace(backend, spec, r));
            backend.upload(Arrays.copyOfRange(features, start * spec.inputs(), (start + chunk) * spec.inputs()), ws.input());
            network.forward(ws);
            float[] chunkOutputs = new float[chunk * spec.outputs()];
            backend.download(ws.output(), chunkOutputs);
            System.arraycopy(chunkOutputs, 0, outputs, start * spec.outputs(), chunkOutputs.length);
        }
        return outputs;
    }

    /**
     * The class of each row: the first arg-max of the outputs, or for a single output whether it
     * exceeds the loss's decision threshold (the rule {@code countCorrect} applies).
     */
    public int[] classes(float[] features) {
        NetworkSpec spec = network.spec();
        float[] outputs = outputs(features);
        int n = spec.outputs();
        int[] classes = new int[outputs.length / n];
        for (int row = 0; row < classes.length; row++) {
            if (n == 1) {
                classes[row] = outputs[row] > spec.loss().decisionThreshold() ? 1 : 0;
                continue;
            }
            int best = 0;
            for (int j = 1; j < n; j++) {
                if (outputs[row * n + j] > outputs[row * n + best]) {
                    best = j;
                }
            }
            classes[row] = best;
        }
        return classes;
    }

    /**
     * The probability of each class for each row (rows × classes, row-major): the softmax of the
     * logits for softmax-ce, and for a single output (bce's sigmoid of the logit, or a sigmoid
     * output trained with mse) the pair P(0), P(1). Several sigmoid outputs trained with mse are
     * returned as they are: they need not sum to 1.
     *
     * @throws IllegalStateException for a regression model
     */
    public float[] probabilities(float[] features, boolean classification) {
        NetworkSpec spec = network.spec();
        if (!classification) {
            throw new IllegalStateException("a regression model has no class probabilities");
        }
        float[] outputs = outputs(features);
        int n = spec.outputs();
        int rows = outputs.length / n;
        if (n == 1) {
            float[] pairs = new float[2 * rows];
            for (int row = 0; row < rows; row++) {
                double p = spec.loss().takesLogits() ? 1 / (1 + Math.exp(-outputs[row])) : outputs[row];
                pairs[2 * row] = (float) (1 - p);
                pairs[2 * row + 1] = (float) p;
            }
            return pairs;
        }
        if (spec.loss() == LossFunction.SOFTMAX_CROSS_ENTROPY) {
            for (int row = 0; row < rows; row++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, outputs[row * n + j]);
                }
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += Math.exp(outputs[row * n + j] - max);
                }
                for (int j = 0; j < n; j++) {
                    outputs[row * n + j] = (float) (Math.exp(outputs[row * n + j] - max) / sum);
                }
            }
        }
        return outputs;
    }

    @Override
    public void close() {
        workspaces.values().forEach(BatchWorkspace::close);
    }
}
