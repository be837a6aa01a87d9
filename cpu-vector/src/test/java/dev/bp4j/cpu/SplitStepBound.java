package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.Backends;

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
 * operands each operation takes from the other cores' caches.
 *
 * <p>Run from the test class path:
 * {@code java --add-modules jdk.incubator.vector -cp ... dev.bp4j.cpu.SplitStepBound THREADS BATCH WIDTHS STEPS},
 * e.g. {@code 2 128 784,256,256,10 3000}. Every thread takes the same number of steps, so the
 * barrier version ends.
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
        for (boolean joined : new boolean[] {false, true}) {
            double[] samplesPerSecond = run(threads, batch / threads, widths, steps, joined ? new SpinBarrier(threads) : null);
            double total = 0;
            StringBuilder each = new StringBuilder();
            for (double rate : samplesPerSecond) {
                total += rate;
                each.append(String.format(Locale.ROOT, " %.0f", rate));
            }
            System.out.printf(Locale.ROOT, "%d one-thread replicas at batch %d%s: %.0f samples/s in all (each:%s)%n",
                    threads, batch / threads, joined ? ", joined after every call" : "", total, each);
        }
    }

    private static double[] run(int threads, int rows, int[] widths, int steps, SpinBarrier barrier)
            throws InterruptedException {
        double[] samplesPerSecond = new double[threads];
        Thread[] running = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int replica = t;
            running[t] = new Thread(() -> {
                try (Backend own = Backends.open("cpu", new BackendOptions(1, null, true), message -> { });
                     ApiTrainingLoop loop = new ApiTrainingLoop(barrier == null ? own : joined(own, barrier), widths, rows,
                             8192, Activation.SIGMOID, ApiTrainingLoop.Updates.MOMENTUM, 7 + replica)) {
                    int step = 0;
                    while (step < steps) {
                        loop.step(step++, null);
                    }
                    long start = System.nanoTime();
                    while (step < 2 * steps) {
                        loop.step(step++, null);
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
