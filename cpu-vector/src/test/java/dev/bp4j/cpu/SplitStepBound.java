package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.Backends;
import dev.bp4j.api.Matrix;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A measuring harness, not a test: how fast {@code THREADS} cores could train when nothing is
 * shared between them. Each thread opens a one-thread {@code cpu} backend of its own and trains
 * a replica of the model on {@code BATCH / THREADS} rows per step ({@link ApiTrainingLoop}), once
 * freely and once with every thread waiting for the others after each backend call, as the pool
 * joins its threads after each operation. Set beside {@link TrainingStepProfile} on one backend of
 * {@code THREADS} threads, it tells whether a step loses its speed-up to those joins or to the
 * operands each operation takes from the other cores' caches. A third run prices what a
 * data-parallel trainer would add: after every step each replica downloads a gradient-sized set
 * of matrices, every thread sums its slice of all replicas' copies on the host, and each replica
 * uploads the sums (the values are not fed back into training; only the traffic is real).
 *
 * <p>Run from the test class path:
 * {@code java --add-modules jdk.incubator.vector -cp ... dev.bp4j.cpu.SplitStepBound THREADS BATCH WIDTHS STEPS},
 * e.g. {@code 2 128 784,256,256,10 3000}: STEPS to warm up, then STEPS timed. Every thread takes
 * the same number of steps, so the versions with barriers end.
 */
public final class SplitStepBound {

    private SplitStepBound() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int[] widths = TrainingStepProfile.parseWidths(args[2]);
        int steps = Integer.parseInt(args[3]);
        if (threads < 1 || batch % threads != 0) {
            throw new IllegalArgumentException("BATCH " + batch + " must split evenly between " + threads + " threads");
        }
        for (Mode mode : Mode.values()) {
            double[] samplesPerSecond = run(threads, batch / threads, widths, steps, mode);
            double total = 0;
            StringBuilder each = new StringBuilder();
            for (double rate : samplesPerSecond) {
                total += rate;
                each.append(String.format(Locale.ROOT, " %.0f", rate));
            }
            System.out.printf(Locale.ROOT, "%d one-thread replicas at batch %d%s: %.0f samples/s in all (each:%s)%n",
                    threads, batch / threads, mode.label, total, each);
        }
    }

    private enum Mode {
        FREE(""),
        JOINED(", joined after every call"),
        ALL_REDUCED(", gradient-sized all-reduce every step");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    private static double[] run(int threads, int rows, int[] widths, int steps, Mode mode) throws InterruptedException {
        double[] samplesPerSecond = new double[threads];
        Thread[] running = new Thread[threads];
        SpinBarrier barrier = new SpinBarrier(threads);
        GradientExchange exchange = new GradientExchange(widths, threads);
        for (int t = 0; t < threads; t++) {
            int replica = t;
            running[t] = new Thread(() -> {
                try (Backend own = Backends.open("cpu", new BackendOptions(1, null, true), message -> { });
                     ApiTrainingLoop loop = new ApiTrainingLoop(mode == Mode.JOINED ? joined(own, barrier) : own, widths, rows,
                             8192, Activation.SIGMOID, ApiTrainingLoop.Updates.MOMENTUM, 7 + replica);
                     GradientExchange.Replica gradients = mode == Mode.ALL_REDUCED ? exchange.replica(own, replica) : null) {
                    int step = 0;
                    long start = 0;
                    while (step < 2 * steps) {
                        if (step == steps) {
                            start = System.nanoTime();
                        }
                        loop.step(step++, null);
                        if (gradients != null) {
                            gradients.allReduce(barrier);
                        }
                    }
                    samplesPerSecond[replica] = (double) steps * rows / ((System.nanoTime() - start) / 1e9);
                }
            }, "replica-" + t);
            running[t].start();
        }
        for (Thread thread : running) {
            thread.join();
        }
        return samplesPerSecond;
    }

    /** {@code backend}, with every operation (a call returning nothing) followed by the barrier. */
    private static Backend joined(Backend backend, SpinBarrier barrier) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, arguments) -> {
                    Object result;
                    try {
                        result = method.invoke(backend, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getReturnType() == void.class && !method.getName().equals("close")) {
                        barrier.await();
                    }
                    return result;
                });
    }

    /**
     * A sum of every layer's weight and bias gradients across replicas through the host, as a
     * data-parallel trainer would do it with {@code download} and {@code upload}: each replica
     * copies its matrices out, each thread sums its slice of every replica's copy, and each
     * replica copies the sums back in.
     */
    private static final class GradientExchange {
        private final int[][] shapes;
        /** host[replica][matrix]. */
        private final float[][][] host;
        private final float[][] sums;
        private final int replicas;

        GradientExchange(int[] widths, int replicas) {
            this.replicas = replicas;
            int layers = widths.length - 1;
            shapes = new int[2 * layers][];
            for (int l = 0; l < layers; l++) {
                shapes[2 * l] = new int[] {widths[l + 1], widths[l]};
                shapes[2 * l + 1] = new int[] {1, widths[l + 1]};
            }
            host = new float[replicas][shapes.length][];
            sums = new float[shapes.length][];
            for (int m = 0; m < shapes.length; m++) {
                sums[m] = new float[shapes[m][0] * shapes[m][1]];
                for (int r = 0; r < replicas; r++) {
                    host[r][m] = new float[sums[m].length];
                }
            }
        }

        Replica replica(Backend backend, int index) {
            return new Replica(backend, index);
        }

        final class Replica implements AutoCloseable {
            private final Backend backend;
            private final int index;
            private final Matrix[] gradients;

            Replica(Backend backend, int index) {
                this.backend = backend;
                this.index = index;
                gradients = new Matrix[shapes.length];
                for (int m = 0; m < shapes.length; m++) {
                    gradients[m] = backend.allocate(shapes[m][0], shapes[m][1]);
                    backend.fill(gradients[m], 1f);
                }
            }

            void allReduce(SpinBarrier barrier) {
                for (int m = 0; m < gradients.length; m++) {
                    backend.download(gradients[m], host[index][m]);
                }
                barrier.await();
                for (int m = 0; m < sums.length; m++) {
                    int length = sums[m].length;
                    int from = (int) ((long) length * index / replicas);
                    int to = (int) ((long) length * (index + 1) / replicas);
                    float[] sum = sums[m];
                    System.arraycopy(host[0][m], from, sum, from, to - from);
                    for (int r = 1; r < replicas; r++) {
                        float[] part = host[r][m];
                        for (int i = from; i < to; i++) {
                            sum[i] += part[i];
                        }
                    }
                }
                barrier.await();
                for (int m = 0; m < gradients.length; m++) {
                    backend.upload(sums[m], gradients[m]);
                }
            }

            @Override
            public void close() {
                for (Matrix gradient : gradients) {
                    gradient.close();
                }
            }
        }
    }

    /** A spinning barrier, since the pool's own join spins too: parking would measure the scheduler. */
    private static final class SpinBarrier {
        private final int parties;
        private final AtomicInteger arrived = new AtomicInteger();
        private volatile int generation;

        SpinBarrier(int parties) {
            this.parties = parties;
        }

        void await() {
            int current = generation;
            if (arrived.incrementAndGet() == parties) {
                arrived.set(0);
                generation = current + 1;
                return;
            }
            while (generation == current) {
                Thread.onSpinWait();
            }
        }
    }
}
