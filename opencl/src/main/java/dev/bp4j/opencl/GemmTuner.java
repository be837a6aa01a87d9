package dev.bp4j.opencl;

import dev.bp4j.api.Activation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Searches gemm.cl's tile shapes on one device: each candidate is built, checked against a
 * float64 product, then timed on a square product; the fastest correct one is cached for the
 * device and driver. Candidates the device rejects (too many work items, registers or local
 * memory) are reported and skipped.
 */
final class GemmTuner {

    private final DeviceContext context;
    private final GemmKernels kernels;

    GemmTuner(DeviceContext context, GemmKernels kernels) {
        this.context = context;
        this.kernels = kernels;
    }

    /** Lines saying what was measured and chosen. */
    List<String> tune() {
        OpenClDevice device = context.device();
        // Large enough to fill a GPU; small enough that a CPU device answers in seconds.
        int n = device.gpu() ? 2048 : 256;
        int repetitions = device.gpu() ? 10 : 3;
        List<String> lines = new ArrayList<>();
        lines.add("opencl tune on " + device.summary());
        lines.add("gemm " + n + "×" + n + "×" + n + " (A·Bᵀ, the dense-layer case), each candidate checked against float64 first, best of "
                + repetitions + " runs");
        SplittableRandom random = new SplittableRandom(42);
        float[] a = randomValues(random, n * n);
        float[] b = randomValues(random, n * n);
        DeviceBuffer da = context.allocate((long) Float.BYTES * n * n);
        DeviceBuffer db = context.allocate((long) Float.BYTES * n * n);
        DeviceBuffer dc = context.allocate((long) Float.BYTES * n * n);
        try {
            context.write(a, da);
            context.write(b, db);
            GemmParameters best = null;
            double bestRate = 0;
            GemmParameters fallback = GemmParameters.defaultFor(device);
            double fallbackRate = 0;
            for (GemmParameters candidate : candidates(device)) {
                try {
                    double rate = measure(candidate, n, a, b, da, db, dc, repetitions);
                    lines.add(String.format(Locale.ROOT, "  %-24s %10.1f GFLOP/s", candidate.text(), rate / 1e9));
                    if (rate > bestRate) {
                        best = candidate;
                        bestRate = rate;
                    }
                    if (candidate.equals(fallback)) {
                        fallbackRate = rate;
                    }
                } catch (RuntimeException e) {
                    lines.add("  " + candidate.text() + " skipped: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                }
            }
            if (best == null) {
                lines.add("no candidate ran; keeping the default " + fallback.text());
                return lines;
            }
            TuningCache.store(device, best);
            lines.add(String.format(Locale.ROOT, "chose %s: %.1f GFLOP/s%s; cached in %s", best.text(), bestRate / 1e9,
                    fallbackRate > 0 ? String.format(Locale.ROOT, " (%.2f× the default %s)", bestRate / fallbackRate, fallback.text()) : "",
                    TuningCache.file()));
            return lines;
        } finally {
            context.release(da);
            context.release(db);
            context.release(dc);
        }
    }

    private double measure(GemmParameters tiles, int n, float[] a, float[] b, DeviceBuffer da, DeviceBuffer db,
                           DeviceBuffer dc, int repetitions) {
        kernels.run(tiles, false, true, n, n, n, 1f, da, db, 0f, dc, GemmKernels.Epilogue.PLAIN, Activation.IDENTITY, dc, dc);
        float[] c = new float[n * n];
        context.read(dc, c);
        check(tiles, n, a, b, c);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            kernels.run(tiles, false, true, n, n, n, 1f, da, db, 0f, dc, GemmKernels.Epilogue.PLAIN, Activation.IDENTITY, dc, dc);
            context.finish();
            best = Math.min(best, System.nanoTime() - start);
        }
        return 2.0 * n * n * n / (best / 1e9);
    }

    /** Compares sampled entries of C = A·Bᵀ with float64 sums, within the contract's summation bound. */
    private static void check(GemmParameters tiles, int n, float[] a, float[] b, float[] c) {
        SplittableRandom random = new SplittableRandom(7);
        int samples = Math.min(n * n, 4096);
        for (int s = 0; s < samples; s++) {
            int i = samples == n * n ? s / n : random.nextInt(n);
            int j = samples == n * n ? s % n : random.nextInt(n);
            double sum = 0;
            double magnitude = 0;
            for (int p = 0; p < n; p++) {
                double term = (double) a[i * n + p] * b[j * n + p];
                sum += term;
                magnitude += Math.abs(term);
            }
            double allowed = (n + 4) * Math.ulp(1.0f) * magnitude;
            if (!(Math.abs(c[i * n + j] - sum) <= allowed)) {
                throw new IllegalStateException("tiles " + tiles.text() + " computed C[" + i + ", " + j + "] = " + c[i * n + j]
                        + ", expected " + sum + " ± " + allowed);
            }
        }
    }

    /** Tile shapes that fit the device's work-group and local-memory limits; a short list on non-GPU devices. */
    static List<GemmParameters> candidates(OpenClDevice device) {
        List<GemmParameters> all = new ArrayList<>();
        if (device.gpu()) {
            int[] tiles = {64, 128};
            int[] depths = {8, 16, 32};
            int[] works = {4, 8};
            for (int tileM : tiles) {
                for (int tileN : tiles) {
                    for (int tileK : depths) {
                        for (int workM : works) {
                            for (int workN : works) {
                                GemmParameters plain = new GemmParameters(tileM, tileN, tileK, workM, workN);
                                all.add(plain);
                                if (GemmParameters.prefetchDividesEvenly(tileM, tileN, tileK, workM, workN)) {
                                    all.add(plain.withPrefetch());
                                }
                            }
                        }
                    }
                }
            }
        } else {
            // PoCL takes tens of seconds to compile 8-wide register blocks, which CPUs with their
            // few vector registers do not profit from anyway.
            all.add(new GemmParameters(64, 64, 16, 4, 4));
            all.add(new GemmParameters(32, 32, 16, 4, 4));
            all.add(new GemmParameters(64, 64, 8, 4, 4));
            all.add(new GemmParameters(64, 64, 16, 4, 4, true));
        }
        return all.stream()
                .filter(t -> t.threads() >= 32 && t.threads() <= device.maxWorkGroupSize())
                .filter(t -> t.localMemoryBytes() <= device.localMemoryBytes())
                .toList();
    }

    private static float[] randomValues(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
