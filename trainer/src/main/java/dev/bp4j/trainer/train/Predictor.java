package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.trainer.nn.BatchWorkspace;
import dev.bp4j.trainer.nn.Network;
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

    @Override
    public void close() {
        workspaces.values().forEach(BatchWorkspace::close);
    }
}
