package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;
import dev.bp4j.trainer.nn.BatchWorkspace;
import dev.bp4j.trainer.nn.Network;
import dev.bp4j.trainer.nn.NetworkSpec;

import java.util.HashMap;
import java.util.Map;

/**
 * Measures loss and accuracy of a network on a device-resident data set, in chunks of a fixed
 * size that does not depend on the training batch. Because {@code train} and {@code eval} both
 * go through here with the same chunks, a saved model evaluates to exactly the accuracy that
 * training reported on the same backend. Only the two totals are read back, once per call.
 */
public final class Evaluator implements AutoCloseable {

    /** Rows per forward pass while evaluating. */
    public static final int CHUNK_ROWS = 256;

    private final Backend backend;
    private final NetworkSpec spec;
    private final boolean classification;
    private final Map<Integer, BatchWorkspace> workspaces = new HashMap<>();
    private final Matrix lossSum;
    private final Matrix correct;
    private final float[] readBack = new float[1];

    public Evaluator(Backend backend, NetworkSpec spec, boolean classification) {
        this.backend = backend;
        this.spec = spec;
        this.classification = classification;
        this.lossSum = backend.allocate(1, 1);
        try {
            this.correct = backend.allocate(1, 1);
        } catch (RuntimeException e) {
            lossSum.close();
            throw e;
        }
    }

    public Evaluation evaluate(Network network, DeviceDataset data) {
        backend.fill(lossSum, 0f);
        backend.fill(correct, 0f);
        int n = data.sampleCount();
        for (int offset = 0; offset < n; offset += CHUNK_ROWS) {
            BatchWorkspace ws = workspace(Math.min(CHUNK_ROWS, n - offset));
            backend.gatherRows(data.features(), data.inOrder(), offset, ws.input());
            backend.gatherRows(data.targets(), data.inOrder(), offset, ws.targets());
            network.forward(ws);
            spec.loss().lossAndOutputDelta(backend, spec.outputActivation(), ws.output(), ws.targets(), 1f,
                    ws.outputDelta(), ws.rowLoss());
            backend.columnSums(1f, ws.rowLoss(), 1f, lossSum);
            if (classification) {
                backend.countCorrect(ws.output(), ws.targets(), spec.loss().decisionThreshold(), correct);
            }
        }
        double loss = read(lossSum) / n;
        double accuracy = classification ? read(correct) / n : Double.NaN;
        return new Evaluation(n, loss, accuracy);
    }

    private BatchWorkspace workspace(int rows) {
        return workspaces.computeIfAbsent(rows, r -> new BatchWorkspace(backend, spec, r));
    }

    private double read(Matrix scalar) {
        backend.download(scalar, readBack);
        return readBack[0];
    }

    @Override
    public void close() {
        workspaces.values().forEach(BatchWorkspace::close);
        lossSum.close();
        correct.close();
    }
}
