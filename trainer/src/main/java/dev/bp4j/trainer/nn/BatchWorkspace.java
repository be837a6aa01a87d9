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
    /** For hidden-layer dropout, undropped.get(l − 1) holds aˡ before the mask, for each hidden layer l; empty without. */
    private final List<Matrix> undropped = new ArrayList<>();
    /** For input dropout, the batch as gathered, before the mask; activation(0) then holds the dropped copy. */
    private final Matrix undroppedInput;

    public BatchWorkspace(Backend backend, NetworkSpec spec, int batchSize) {
        this(backend, spec, batchSize, null);
    }

    /** With {@code dropout} (null for none), also the undropped buffers its masks read. */
    public BatchWorkspace(Backend backend, NetworkSpec spec, int batchSize, Dropout dropout) {
        this.batchSize = batchSize;
        try {
            for (int i = 0; i <= spec.layerCount(); i++) {
                activations.add(backend.allocate(batchSize, spec.width(i)));
            }
            for (int hidden = 1; dropout != null && dropout.dropsHidden() && hidden < spec.layerCount(); hidden++) {
                undropped.add(backend.allocate(batchSize, spec.width(hidden)));
            }
            undroppedInput = dropout != null && dropout.dropsInput() ? backend.allocate(batchSize, spec.inputs()) : null;
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

    /**
     * Where the batch's inputs go, (batch × inputs): a⁰ itself, or with input dropout the
     * undropped batch that the training forward pass masks into a⁰.
     */
    public Matrix input() {
        return undroppedInput != null ? undroppedInput : activations.getFirst();
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
        if (undroppedInput != null) {
            undroppedInput.close();
        }
        if (targets != null) {
            targets.close();
        }
        if (rowLoss != null) {
            rowLoss.close();
        }
    }
}
