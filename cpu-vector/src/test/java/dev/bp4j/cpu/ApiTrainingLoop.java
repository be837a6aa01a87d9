package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import dev.bp4j.api.AdamStep;
import dev.bp4j.api.Backend;
import dev.bp4j.api.DropoutMask;
import dev.bp4j.api.IndexVector;
import dev.bp4j.api.Matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A multi-layer perceptron trained through {@link Backend} calls alone, in the order and on the
 * shapes the trainer's step uses (gather, dense forward, softmax cross-entropy, loss sum, count,
 * bias and weight gradients, δ backpropagation, the divergence monitor's column sums of every
 * gradient, the optimizer update) on seeded synthetic data. Test code only: tests use it to
 * compare whole runs, and the measuring harnesses to time each operation of a step; the
 * library's one training step is the trainer's.
 *
 * <p>Owns every matrix it allocates; {@link #close} releases them, not the backend.
 */
final class ApiTrainingLoop implements AutoCloseable {

    /** The operations of one step, in order; {@link #step} adds the time of each to its slot. */
    enum Op { GATHER, FORWARD, LOSS, LOSS_SUM, COUNT, BIAS_GRADIENT, WEIGHT_GRADIENT, BACKPROPAGATE, MONITOR, UPDATE, RECIPE }

    /** The optimizer of every step, or both in turn (momentum on even steps, Adam on odd ones). */
    enum Updates { MOMENTUM, ADAM, ALTERNATING }

    private final Backend backend;
    private final int[] widths;
    private final int batch;
    private final int samples;
    private final Activation hidden;
    private final Updates updatesBy;
    private final List<Matrix> owned = new ArrayList<>();
    private final Matrix features;
    private final Matrix targets;
    private final IndexVector order;
    private final Matrix[] activations;
    private final Matrix[] deltas;
    private final Matrix batchTargets;
    private final Matrix rowLoss;
    private final Matrix lossSum;
    private final Matrix correct;
    /** Per hidden layer, where the recipe's dropout pass writes (never read by the step); null until {@link #withRecipe}. */
    private Matrix[] undropped;
    private Matrix[] dropped;
    private Matrix squaredNorm;
    /** Per layer: weights, bias; their gradients; velocity or first moment; second moment; monitor sums. */
    private final Matrix[][] parameters;
    private long updates;

    ApiTrainingLoop(Backend backend, int[] widths, int batch, int samples, Activation hidden, Updates updatesBy, long seed) {
        this.backend = backend;
        this.widths = widths.clone();
        this.batch = batch;
        this.samples = samples;
        this.hidden = hidden;
        this.updatesBy = updatesBy;
        int layers = widths.length - 1;
        int inputs = widths[0];
        int classes = widths[layers];
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[samples * inputs];
        float[] y = new float[samples * classes];
        for (int s = 0; s < samples; s++) {
            int label = random.nextInt(classes);
            y[s * classes + label] = 1f;
            for (int i = 0; i < inputs; i++) {
                // Features correlated with the label, so the loss actually falls.
                x[s * inputs + i] = (float) (random.nextDouble() + (i % classes == label ? 0.5 : 0.0));
            }
        }
        features = own(backend.allocate(samples, inputs));
        backend.upload(x, features);
        targets = own(backend.allocate(samples, classes));
        backend.upload(y, targets);
        int[] permutation = new int[samples];
        for (int i = 0; i < samples; i++) {
            permutation[i] = (int) ((i * 7919L) % samples);
        }
        order = backend.allocateIndices(samples);
        backend.upload(permutation, order);
        activations = new Matrix[widths.length];
        deltas = new Matrix[widths.length];
        for (int l = 0; l < widths.length; l++) {
            activations[l] = own(backend.allocate(batch, widths[l]));
            deltas[l] = own(backend.allocate(batch, widths[l]));
        }
        batchTargets = own(backend.allocate(batch, classes));
        rowLoss = own(backend.allocate(batch, 1));
        lossSum = own(backend.allocate(1, 1));
        correct = own(backend.allocate(1, 1));
        parameters = new Matrix[layers][];
        for (int l = 0; l < layers; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            Matrix w = own(backend.allocate(out, in));
            float[] initial = new float[out * in];
            double bound = Math.sqrt(6.0 / (in + out));
            for (int i = 0; i < initial.length; i++) {
                initial[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            backend.upload(initial, w);
            parameters[l] = new Matrix[] {
                    w, own(backend.allocate(1, out)),
                    own(backend.allocate(out, in)), own(backend.allocate(1, out)),
                    own(backend.allocate(out, in)), own(backend.allocate(1, out)),
                    own(backend.allocate(out, in)), own(backend.allocate(1, out)),
                    own(backend.allocate(1, in)), own(backend.allocate(1, out)),
            };
        }
    }

    private Matrix own(Matrix m) {
        owned.add(m);
        return m;
    }

    /**
     * Adds the recipe's operations to every step (see {@link #recipe}), for the JIT warm-up; the
     * weights stay those of plain training.
     */
    ApiTrainingLoop withRecipe() {
        int layers = widths.length - 1;
        undropped = new Matrix[widths.length];
        dropped = new Matrix[widths.length];
        for (int l = 1; l < layers; l++) {
            undropped[l] = own(backend.allocate(batch, widths[l]));
            dropped[l] = own(backend.allocate(batch, widths[l]));
        }
        squaredNorm = own(backend.allocate(1, 1));
        return this;
    }

    int batch() {
        return batch;
    }

    /** One step on batch {@code s} (wrapping around the data); {@code nanos} (one slot per {@link Op}) may be null. */
    void step(int s, long[] nanos) {
        int layers = widths.length - 1;
        int offset = (int) ((long) s * batch % (samples - batch + 1));
        long t = System.nanoTime();
        backend.gatherRows(features, order, offset, activations[0]);
        backend.gatherRows(targets, order, offset, batchTargets);
        t = lap(nanos, Op.GATHER, t);
        for (int l = 0; l < layers; l++) {
            backend.denseForward(activations[l], parameters[l][0], parameters[l][1],
                    l == layers - 1 ? Activation.IDENTITY : hidden, activations[l + 1]);
        }
        t = lap(nanos, Op.FORWARD, t);
        backend.softmaxCrossEntropy(activations[layers], batchTargets, 1f / batch, deltas[layers], rowLoss);
        t = lap(nanos, Op.LOSS, t);
        backend.columnSums(1f, rowLoss, 1f, lossSum);
        t = lap(nanos, Op.LOSS_SUM, t);
        backend.countCorrect(activations[layers], batchTargets, 0.5f, correct);
        t = lap(nanos, Op.COUNT, t);
        for (int l = layers - 1; l >= 0; l--) {
            backend.columnSums(1f, deltas[l + 1], 0f, parameters[l][3]);
            t = lap(nanos, Op.BIAS_GRADIENT, t);
            backend.gemm(true, false, 1f, deltas[l + 1], activations[l], 0f, parameters[l][2]);
            t = lap(nanos, Op.WEIGHT_GRADIENT, t);
            if (l > 0) {
                backend.denseBackward(deltas[l + 1], parameters[l][0], activations[l], hidden, deltas[l]);
                t = lap(nanos, Op.BACKPROPAGATE, t);
            }
        }
        for (int l = 0; l < layers; l++) {
            backend.columnSums(1f, parameters[l][2], 1f, parameters[l][8]);
            backend.columnSums(1f, parameters[l][3], 1f, parameters[l][9]);
        }
        t = lap(nanos, Op.MONITOR, t);
        updates++;
        for (int l = 0; l < layers; l++) {
            for (int p = 0; p < 2; p++) {
                Matrix value = parameters[l][p];
                Matrix gradient = parameters[l][2 + p];
                if (updatesBy == Updates.ADAM || updatesBy == Updates.ALTERNATING && s % 2 == 1) {
                    backend.adamUpdate(value, gradient, parameters[l][4 + p], parameters[l][6 + p],
                            new AdamStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, updates));
                } else {
                    backend.momentumUpdate(value, gradient, parameters[l][4 + p], 0.1f, 0.9f, 0f);
                }
            }
        }
        t = lap(nanos, Op.UPDATE, t);
        if (squaredNorm != null) {
            recipe(s, layers);
            lap(nanos, Op.RECIPE, t);
        }
    }

    /**
     * The recipe's operations on the step's shapes, into buffers of their own so the run's
     * weights stay those of plain training: dropout forward and backward on every hidden layer,
     * and clipping by a norm so large the factor is 1 (which leaves every gradient's bits).
     */
    private void recipe(int s, int layers) {
        for (int l = 1; l < layers; l++) {
            DropoutMask mask = new DropoutMask(0.25f, 17, (long) s * layers + l);
            backend.dropoutForward(hidden, activations[l], undropped[l], mask, dropped[l]);
            backend.dropoutBackward(hidden, undropped[l], deltas[l], mask, dropped[l]);
        }
        backend.fill(squaredNorm, 0f);
        for (int l = 0; l < layers; l++) {
            backend.sumOfSquares(parameters[l][2], squaredNorm);
            backend.clipToNorm(squaredNorm, Float.MAX_VALUE, parameters[l][3]);
        }
    }

    private static long lap(long[] nanos, Op op, long since) {
        if (nanos == null) {
            return since;
        }
        long now = System.nanoTime();
        nanos[op.ordinal()] += now - since;
        return now;
    }

    /** Every weight and bias, layer by layer, then the loss sum. */
    List<float[]> download() {
        List<float[]> all = new ArrayList<>();
        for (Matrix[] layer : parameters) {
            for (int p = 0; p < 2; p++) {
                float[] values = new float[layer[p].rows() * layer[p].cols()];
                backend.download(layer[p], values);
                all.add(values);
            }
        }
        float[] loss = new float[1];
        backend.download(lossSum, loss);
        all.add(loss);
        return all;
    }

    @Override
    public void close() {
        owned.forEach(Matrix::close);
        order.close();
    }
}
