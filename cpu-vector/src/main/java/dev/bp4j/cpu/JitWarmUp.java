package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import dev.bp4j.api.AdamStep;
import dev.bp4j.api.IndexVector;
import dev.bp4j.api.Matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the kernels of a training step compiled by C2 while the caller still has other work to
 * do, typically loading its data. Vector API code runs boxed, an object per vector operation,
 * until C2 compiles it: the first 784-256-256-10 step took about a second, and the first epoch
 * of Fashion-MNIST ran at a quarter of the speed of the later ones.
 *
 * <p>Started once per JVM when the provider opens the first backend, on a daemon thread of its
 * own with a backend of its own (never the caller's: a backend has one caller). It trains
 * small networks on synthetic data (see {@link Phase}): sigmoid hidden layers and an identity
 * output layer, softmax cross-entropy, momentum and Adam steps in turn. It stops after its
 * steps, or as soon as any other backend of the JVM starts a product: the caller's own work
 * then has the cores, and competing with it would only slow both.
 *
 * <p>Off with {@code -Dbp4j.cpu.warmup=false}. Measured in docs/performance.md.
 */
final class JitWarmUp implements Runnable {

    static final String PROPERTY = "bp4j.cpu.warmup";
    /**
     * The two phases: many small steps first, so invocation and loop counters reach C2's
     * thresholds while each interpreted step still costs little; then steps shaped like real
     * layers, so C2 compiles with realistic trip counts and the multi-threaded paths.
     */
    static final Phase SMALL = new Phase(new int[] {24, 40, 21, 10}, 11, 200);
    static final Phase LAYER_SIZED = new Phase(new int[] {520, 69, 37, 10}, 41, 100);
    private static final int SAMPLES = 256;

    /**
     * Layer widths (inputs first; the first past one block of k in the layer-sized phase, the
     * others past whole micro-tiles so edge tiles run too), batch size and step count.
     */
    record Phase(int[] widths, int batch, int steps) {
    }

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static volatile boolean stopRequested;

    private final int threads;

    private JitWarmUp(int threads) {
        this.threads = threads;
    }

    /** Starts the warm-up unless it has run in this JVM or is switched off. */
    static void startOnce(int threads) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(new JitWarmUp(threads), "bp4j-cpu-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called by the callers' backends at each product: the first one ends the warm-up. */
    static void yieldToCaller() {
        if (!stopRequested) {
            stopRequested = true;
        }
    }

    /** Whether a caller's product has ended the warm-up (or would end it, had it started). */
    static boolean yielded() {
        return stopRequested;
    }

    /** Clears {@link #yielded}; tests only, since a real JVM warms up once. */
    static void rearmForTest() {
        stopRequested = false;
    }

    @Override
    public void run() {
        try (CpuBackend backend = new CpuBackend(threads, GemmBlocking.DEFAULT, false)) {
            train(backend, SMALL);
            train(backend, LAYER_SIZED);
        } catch (RuntimeException | OutOfMemoryError e) {
            // Only speed is at stake: the caller's own backend compiles the same code on first use.
        }
    }

    /**
     * Trains a network of the phase's shape for its steps, fewer if a caller's backend starts a
     * product meanwhile, and closes every handle it allocated; returns the steps run.
     */
    static int train(CpuBackend backend, Phase phase) {
        int[] widths = phase.widths();
        int batch = phase.batch();
        int step = 0;
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            SplittableRandom random = new SplittableRandom(17);
            int layers = widths.length - 1;
            Matrix features = filled(backend, owned, SAMPLES, widths[0], random, 1f);
            Matrix targets = own(owned, backend.allocate(SAMPLES, widths[layers]));
            float[] oneHot = new float[SAMPLES * widths[layers]];
            for (int s = 0; s < SAMPLES; s++) {
                oneHot[s * widths[layers] + random.nextInt(widths[layers])] = 1f;
            }
            backend.upload(oneHot, targets);
            IndexVector order = own(owned, backend.allocateIndices(SAMPLES));
            int[] indices = new int[SAMPLES];
            for (int s = 0; s < SAMPLES; s++) {
                indices[s] = (s * 37) % SAMPLES;
            }
            backend.upload(indices, order);

            Matrix[] activations = new Matrix[layers + 1];
            Matrix[] deltas = new Matrix[layers + 1];
            Matrix[] weights = new Matrix[layers + 1];
            Matrix[] biases = new Matrix[layers + 1];
            Matrix[] weightGradients = new Matrix[layers + 1];
            Matrix[] biasGradients = new Matrix[layers + 1];
            Matrix[][] weightState = new Matrix[layers + 1][2];
            Matrix[][] biasState = new Matrix[layers + 1][2];
            activations[0] = own(owned, backend.allocate(batch, widths[0]));
            for (int l = 1; l <= layers; l++) {
                activations[l] = own(owned, backend.allocate(batch, widths[l]));
                deltas[l] = own(owned, backend.allocate(batch, widths[l]));
                weights[l] = filled(backend, owned, widths[l], widths[l - 1], random, 0.1f);
                biases[l] = own(owned, backend.allocate(1, widths[l]));
                weightGradients[l] = own(owned, backend.allocate(widths[l], widths[l - 1]));
                biasGradients[l] = own(owned, backend.allocate(1, widths[l]));
                for (int slot = 0; slot < 2; slot++) {
                    weightState[l][slot] = own(owned, backend.allocate(widths[l], widths[l - 1]));
                    biasState[l][slot] = own(owned, backend.allocate(1, widths[l]));
                }
            }
            Matrix batchTargets = own(owned, backend.allocate(batch, widths[layers]));
            Matrix rowLoss = own(owned, backend.allocate(batch, 1));
            Matrix lossSum = own(owned, backend.allocate(1, 1));
            Matrix correct = own(owned, backend.allocate(1, 1));

            for (; step < phase.steps() && !stopRequested; step++) {
                int offset = (step * batch) % (SAMPLES - batch);
                backend.gatherRows(features, order, offset, activations[0]);
                backend.gatherRows(targets, order, offset, batchTargets);
                for (int l = 1; l <= layers; l++) {
                    backend.denseForward(activations[l - 1], weights[l], biases[l],
                            l == layers ? Activation.IDENTITY : Activation.SIGMOID, activations[l]);
                }
                backend.softmaxCrossEntropy(activations[layers], batchTargets, 1f / batch, deltas[layers], rowLoss);
                backend.columnSums(1f, rowLoss, 1f, lossSum);
                backend.countCorrect(activations[layers], batchTargets, 0.5f, correct);
                for (int l = layers; l >= 1; l--) {
                    backend.gemm(true, false, 1f, deltas[l], activations[l - 1], 0f, weightGradients[l]);
                    backend.columnSums(1f, deltas[l], 0f, biasGradients[l]);
                    if (l > 1) {
                        backend.backpropagateDelta(deltas[l], weights[l], activations[l - 1], Activation.SIGMOID, deltas[l - 1]);
                    }
                }
                for (int l = 1; l <= layers; l++) {
                    if (step % 2 == 0) {
                        backend.momentumUpdate(weights[l], weightGradients[l], weightState[l][0], 0.01f, 0.9f);
                        backend.momentumUpdate(biases[l], biasGradients[l], biasState[l][0], 0.01f, 0.9f);
                    } else {
                        AdamStep adam = new AdamStep(0.001f, 0.9f, 0.999f, 1e-8f, step / 2 + 1);
                        backend.adamUpdate(weights[l], weightGradients[l], weightState[l][0], weightState[l][1], adam);
                        backend.adamUpdate(biases[l], biasGradients[l], biasState[l][0], biasState[l][1], adam);
                    }
                }
            }
        } finally {
            for (AutoCloseable handle : owned) {
                try {
                    handle.close();
                } catch (Exception e) {
                    // Handles of this backend do not fail to close; the backend closes next anyway.
                }
            }
        }
        return step;
    }

    private static Matrix filled(CpuBackend backend, List<AutoCloseable> owned, int rows, int cols,
                                 SplittableRandom random, float scale) {
        Matrix matrix = own(owned, backend.allocate(rows, cols));
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-scale, scale);
        }
        backend.upload(values, matrix);
        return matrix;
    }

    private static <T extends AutoCloseable> T own(List<AutoCloseable> owned, T handle) {
        owned.add(handle);
        return handle;
    }
}
