package dev.bp4j.benchmarks;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.IndexVector;
import dev.bp4j.api.Matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * One mini-batch training step of a multi-layer perceptron, written directly on {@link Backend}
 * so the benchmark measures the backend and nothing else: hidden layers with one activation,
 * logits into softmax cross-entropy, and momentum SGD in PyTorch's form.
 *
 * <p>Everything a step touches stays on the backend for the life of this object: the data set,
 * the shuffled sample order, parameters, velocities, activations and deltas. A step gathers its
 * batch on the device and transfers nothing; it does not wait for the device either, so the
 * caller syncs when it times.
 *
 * <p>Layer l maps widths[l] to widths[l + 1]; weights[l] is (widths[l+1] × widths[l]) as
 * {@link Backend} stores dense layers; activations[0] is the gathered input batch and
 * activations[l + 1] the output of layer l; deltas[l] = ∂loss/∂z of layer l, (batch × widths[l+1]).
 */
final class MlpTrainingStep implements AutoCloseable {

    static final float LEARNING_RATE = 0.1f;
    static final float MOMENTUM = 0.9f;

    private final Backend backend;
    private final int batch;
    private final int samples;
    private final int layers;
    private final Activation hidden;
    private final List<Matrix> owned = new ArrayList<>();

    private final Matrix features;
    private final Matrix targets;
    private final IndexVector order;
    private final Matrix batchTargets;
    private final Matrix rowLoss;
    private final Matrix[] weights;
    private final Matrix[] biases;
    private final Matrix[] weightVelocities;
    private final Matrix[] biasVelocities;
    private final Matrix[] weightGradients;
    private final Matrix[] biasGradients;
    private final Matrix[] activations;
    private final Matrix[] deltas;
    private int nextOffset;

    /**
     * @param features      the data set, (samples × widths[0])
     * @param targets       one-hot classes, (samples × widths[last])
     * @param order         the order samples are visited in; its length must be a multiple of batch
     * @param initialWeights weights[l] then biases[l] for every layer, as {@link #parameters()} lists them
     */
    MlpTrainingStep(Backend backend, int[] widths, Activation hidden, int batch, HostMatrix features,
                    HostMatrix targets, int[] order, List<HostMatrix> initialWeights) {
        if (order.length % batch != 0) {
            throw new IllegalArgumentException("the sample order (" + order.length + ") must hold whole batches of " + batch);
        }
        this.backend = backend;
        this.batch = batch;
        this.samples = order.length;
        this.layers = widths.length - 1;
        this.hidden = hidden;
        this.features = own(features.uploadTo(backend));
        this.targets = own(targets.uploadTo(backend));
        this.order = backend.allocateIndices(order.length);
        backend.upload(order, this.order);
        this.batchTargets = own(backend.allocate(batch, widths[layers]));
        this.rowLoss = own(backend.allocate(batch, 1));
        weights = new Matrix[layers];
        biases = new Matrix[layers];
        weightVelocities = new Matrix[layers];
        biasVelocities = new Matrix[layers];
        weightGradients = new Matrix[layers];
        biasGradients = new Matrix[layers];
        activations = new Matrix[layers + 1];
        deltas = new Matrix[layers];
        activations[0] = own(backend.allocate(batch, widths[0]));
        for (int l = 0; l < layers; l++) {
            weights[l] = own(initialWeights.get(2 * l).uploadTo(backend));
            biases[l] = own(initialWeights.get(2 * l + 1).uploadTo(backend));
            weightVelocities[l] = own(backend.allocate(widths[l + 1], widths[l]));
            biasVelocities[l] = own(backend.allocate(1, widths[l + 1]));
            weightGradients[l] = own(backend.allocate(widths[l + 1], widths[l]));
            biasGradients[l] = own(backend.allocate(1, widths[l + 1]));
            activations[l + 1] = own(backend.allocate(batch, widths[l + 1]));
            deltas[l] = own(backend.allocate(batch, widths[l + 1]));
        }
    }

    /** Seeded initial parameters in PyTorch's default range, U(−1/√in, 1/√in), in {@link #parameters()} order. */
    static List<HostMatrix> initialWeights(SeededInputs seeded, int[] widths) {
        List<HostMatrix> parameters = new ArrayList<>();
        for (int l = 0; l + 1 < widths.length; l++) {
            float bound = (float) (1.0 / Math.sqrt(widths[l]));
            parameters.add(HostMatrix.uniform(seeded, widths[l + 1], widths[l], -bound, bound));
            parameters.add(HostMatrix.uniform(seeded, 1, widths[l + 1], -bound, bound));
        }
        return parameters;
    }

    private Matrix own(Matrix matrix) {
        owned.add(matrix);
        return matrix;
    }

    /** Enqueues one forward pass, backward pass and update on the next batch; returns the per-row losses (not yet waited for). */
    Matrix step() {
        backend.gatherRows(features, order, nextOffset, activations[0]);
        backend.gatherRows(targets, order, nextOffset, batchTargets);
        nextOffset = (nextOffset + batch) % samples;

        for (int l = 0; l < layers; l++) {
            Activation f = l + 1 < layers ? hidden : Activation.IDENTITY;
            backend.denseForward(activations[l], weights[l], biases[l], f, activations[l + 1]);
        }
        // The mean over the batch: each row's gradient is scaled by 1/batch.
        backend.softmaxCrossEntropy(activations[layers], batchTargets, 1f / batch, deltas[layers - 1], rowLoss);

        for (int l = layers - 1; l >= 0; l--) {
            backend.gemm(true, false, 1f, deltas[l], activations[l], 0f, weightGradients[l]);
            backend.columnSums(1f, deltas[l], 0f, biasGradients[l]);
            if (l > 0) {
                // Uses weights[l] before its update, as backpropagation requires.
                backend.denseBackward(deltas[l], weights[l], activations[l], hidden, deltas[l - 1]);
            }
            backend.momentumUpdate(weights[l], weightGradients[l], weightVelocities[l], LEARNING_RATE, MOMENTUM, 0f);
            backend.momentumUpdate(biases[l], biasGradients[l], biasVelocities[l], LEARNING_RATE, MOMENTUM, 0f);
        }
        return rowLoss;
    }

    /** Waits for the device and sums the last step's per-row losses. */
    double lastLossSum() {
        double sum = 0;
        for (float loss : HostMatrix.download(backend, rowLoss).values()) {
            sum += loss;
        }
        return sum;
    }

    /** Waits for the device and copies weights[l] then biases[l] for every layer. */
    List<HostMatrix> parameters() {
        List<HostMatrix> parameters = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            parameters.add(HostMatrix.download(backend, weights[l]));
            parameters.add(HostMatrix.download(backend, biases[l]));
        }
        return parameters;
    }

    @Override
    public void close() {
        for (Matrix matrix : owned) {
            matrix.close();
        }
        owned.clear();
        order.close();
    }
}
