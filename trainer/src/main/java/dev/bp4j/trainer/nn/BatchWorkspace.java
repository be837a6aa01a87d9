package dev.bp4j.trainer.nn;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * Every buffer one forward and backward pass over a batch of a fixed size needs, allocated
 * once per run: the batch's inputs and targets, each layer's activations aˡ and errors δˡ, and
 * the loss of each row. A run keeps one workspace for the full batch size and one for the
 * remainder at the end of an epoch, so the step loop never allocates.
 */
public final class BatchWorkspace implements AutoCloseable {

    private final int batchSize;
    private final Matrix targets;
    /** activations.get(0) is the input batch a⁰; activations.get(l + 1) is the output of layer l. */
    private final List<Matrix> activations = new ArrayList<>();
    /** deltas.get(l) is δ of layer l, the same shape as its output. */
    private final List<Matrix> deltas = new ArrayList<>();
    private final Matrix rowLoss;
    /** For dropout, undropped.get(l − 1) holds aˡ before the mask, for each hidden layer l; empty without. */
    private final List<Matrix> undropped = new ArrayList<>();

    public BatchWorkspace(Backend backend, NetworkSpec spec, int batchSize) {
        this(backend, spec, batchSize, false);
    }

    /** With {@code dropout}, also the undropped activations of every hidden layer. */
    public BatchWorkspace(Backend backend, NetworkSpec spec, int batchSize, boolean dropout) {
        this.batchSize = batchSize;
        try {
            for (int i = 0; i <= spec.layerCount(); i++) {
                activations.add(backend.allocate(batchSize, spec.width(i)));
            }
            for (int hidden = 1; dropout && hidden < spec.layerCount(); hidden++) {
                undropped.add(backend.allocate(batchSize, spec.width(hidden)));
            }
            for (int layer = 0; layer < spec.layerCount(); layer++) {
                deltas.add(backend.allocate(batchSize, spec.width(layer + 1)));
            }
            targets = backend.allocate(batchSize, spec.outputs());
            rowLoss = backend.allocate(batchSize, 1);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public int batchSize() {
        return batchSize;
    }

    /** The input batch a⁰, (batch × inputs). */
    public Matrix input() {
        return activations.getFirst();
    }

    /** aˡ for l = 0 (the input) … L (the output). */
    public Matrix activation(int index) {
        return activations.get(index);
    }

    public Matrix output() {
        return activations.getLast();
    }

    /** aˡ of hidden layer l (1 … L − 1) before dropout; its output activation(l) is the dropped one. */
    public Matrix undropped(int index) {
        return undropped.get(index - 1);
    }

    public Matrix delta(int layer) {
        return deltas.get(layer);
    }

    public Matrix outputDelta() {
        return deltas.getLast();
    }

    public Matrix targets() {
        return targets;
    }

    public Matrix rowLoss() {
        return rowLoss;
    }

    @Override
    public void close() {
        activations.forEach(Matrix::close);
        deltas.forEach(Matrix::close);
        undropped.forEach(Matrix::close);
        if (targets != null) {
            targets.close();
        }
        if (rowLoss != null) {
            rowLoss.close();
        }
    }
}
