package dev.bp4j.cpu;

import dev.bp4j.cpu.gemm.GemmBlocking;
import dev.bp4j.api.Activation;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the kernels of a training step compiled by C2 while the caller still has other work to
 * do, typically loading its data. Vector API code runs boxed, an object per vector operation,
 * until C2 compiles it: the first 784-256-256-10 step took about a second, and the first epoch
 * of Fashion-MNIST ran at a quarter of the speed of the later ones.
 *
 * <p>Started once per JVM when the provider opens the first backend, on a daemon thread of its
 * own with a backend of its own (never the caller's: a backend has one caller). It trains
 * small networks on synthetic data (see {@link Phase}) with {@link ApiTrainingLoop}: sigmoid
 * hidden layers and an identity output layer, softmax cross-entropy, momentum and Adam steps in
 * turn, and the recipe's dropout and clipping operations. It stops after its
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
        int step = 0;
        try (ApiTrainingLoop loop = new ApiTrainingLoop(backend, phase.widths(), phase.batch(), SAMPLES, Activation.SIGMOID,
                ApiTrainingLoop.Updates.ALTERNATING, 17).withRecipe()) {
            for (; step < phase.steps() && !stopRequested; step++) {
                loop.step(step, null);
            }
        }
        return step;
    }
}
