package dev.bp4j.cpu;

import dev.bp4j.cpu.gemm.GemmBlocking;
import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.Backends;
import dev.bp4j.api.Matrix;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * A measuring harness, not a test: GFLOP/s of the cpu backend's GEMM at the sizes the issue
 * names, and the bandwidth of sigmoid and Hadamard over 16M floats next to a plain copy in the
 * same run. Best of several repetitions after a warm-up, as the numpy peer script does.
 *
 * <p>Run from the test class path: {@code java --add-modules jdk.incubator.vector -cp ...
 * dev.bp4j.cpu.CpuThroughput THREADS [kc mc nc]}; the optional blocking bypasses the facade
 * to compare cache-blocking choices.
 */
public final class CpuThroughput {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuThroughput() {
    }

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        Backend backend = args.length >= 4
                ? new CpuBackend(threads, new GemmBlocking(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3])))
                : Backends.open("cpu", new BackendOptions(threads, null, true), System.out::println);
        try (backend) {
            System.out.println(backend.deviceDescription());
            gemm(backend, "sgemm n=256", false, false, 256, 256, 256, 400);
            gemm(backend, "sgemm n=1024", false, false, 1024, 1024, 1024, 30);
            gemm(backend, "mlp forward [128x784]·[256x784]ᵀ", false, true, 128, 256, 784, 400);
            gemm(backend, "mlp weight grad [128x256]ᵀ·[128x784]", true, false, 256, 784, 128, 400);
            gemm(backend, "mlp input grad [128x256]·[256x784]", false, false, 128, 784, 256, 400);
            if (!Boolean.getBoolean("gemmOnly")) {
                streaming(backend);
            }
        }
    }

    private static void gemm(Backend backend, String what, boolean ta, boolean tb, int m, int n, int k, int reps) {
        SplittableRandom random = new SplittableRandom(42);
        try (Matrix a = filled(backend, random, ta ? k : m, ta ? m : k);
             Matrix b = filled(backend, random, tb ? n : k, tb ? k : n);
             Matrix c = backend.allocate(m, n)) {
            // Warm up by time, not by count: on a busy machine C2 may finish compiling late.
            long warmUntil = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < warmUntil) {
                backend.gemm(ta, tb, 1f, a, b, 0f, c);
            }
            double best = Double.MAX_VALUE;
            double bestCpu = Double.MAX_VALUE;
            for (int rep = 0; rep < reps; rep++) {
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                backend.gemm(ta, tb, 1f, a, b, 0f, c);
                best = Math.min(best, (System.nanoTime() - start) * 1e-9);
                bestCpu = Math.min(bestCpu, (THREADS.getCurrentThreadCpuTime() - cpuStart) * 1e-9);
            }
            // The calling thread's CPU time excludes time it was descheduled on a busy machine;
            // it is the undisturbed time when the operation runs on that thread alone.
            System.out.printf("%-40s %8.1f GFLOP/s wall %8.1f per calling-thread CPU second  (best %.3f ms)%n",
                    what, 2.0 * m * n * k / best * 1e-9, 2.0 * m * n * k / bestCpu * 1e-9, best * 1e3);
        }
    }

    private static void streaming(Backend backend) {
        int rows = 4096;
        int cols = 4096;
        SplittableRandom random = new SplittableRandom(7);
        try (Matrix x = filled(backend, random, rows, cols);
             Matrix y = filled(backend, random, rows, cols);
             Matrix out = backend.allocate(rows, cols)) {
            double bytes2 = 2.0 * 4 * rows * cols;
            double bytes3 = 3.0 * 4 * rows * cols;
            double copy = best(() -> backend.copy(x, out));
            double sigmoid = best(() -> backend.activate(Activation.SIGMOID, x, out));
            double hadamard = best(() -> backend.hadamard(x, y, out));
            float[] plainSource = new float[rows * cols];
            float[] plainTarget = new float[rows * cols];
            double arraycopy = best(() -> System.arraycopy(plainSource, 0, plainTarget, 0, plainSource.length));
            double loopCopy = best(() -> loopCopy(plainSource, plainTarget));
            System.out.printf("16M floats, GB/s counting the bytes each operation names (2 or 3 arrays):%n"
                            + "  System.arraycopy %.1f, copy loop %.1f, backend copy %.1f%n"
                            + "  sigmoid %.1f = %.2f of System.arraycopy, %.2f of the copy loop%n"
                            + "  hadamard %.1f = %.2f of System.arraycopy, %.2f of the copy loop%n",
                    bytes2 / arraycopy * 1e-9, bytes2 / loopCopy * 1e-9, bytes2 / copy * 1e-9,
                    bytes2 / sigmoid * 1e-9, arraycopy / sigmoid, loopCopy / sigmoid,
                    bytes3 / hadamard * 1e-9, bytes3 / hadamard / (bytes2 / arraycopy), bytes3 / hadamard / (bytes2 / loopCopy));
        }
    }

    /** The copy a plain Java loop makes, with ordinary (write-allocating) stores like the kernels'. */
    private static void loopCopy(float[] source, float[] target) {
        for (int i = 0; i < source.length; i++) {
            target[i] = source[i];
        }
    }

    private static double best(Runnable operation) {
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 30; rep++) {
            long start = System.nanoTime();
            operation.run();
            best = Math.min(best, (System.nanoTime() - start) * 1e-9);
        }
        return best;
    }

    private static Matrix filled(Backend backend, SplittableRandom random, int rows, int cols) {
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        Matrix m = backend.allocate(rows, cols);
        backend.upload(values, m);
        return m;
    }
}
