package dev.bp4j.opencl;

import dev.bp4j.api.Activation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Searches gemm.cl's tile shapes on one device: each candidate is built, checked against a
 * float64 product, then timed on a square product. The fastest correct one becomes the large
 * shape, the fastest of at most a quarter of its area the medium one (see {@link GemmTileSet});
 * both are cached for the device and driver. Candidates the device rejects (too many work items,
 * registers or local memory) are reported and skipped.
 */
final class GemmTuner {

    /** C = op(A)·op(B), all n × n, with the given tiles: the only way the tuner runs kernels (a test makes one candidate wrong through it). */
    @FunctionalInterface
    interface SquareProduct {
        void run(GemmParameters tiles, boolean transposeA, boolean transposeB, int n, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c);
    }

    private final DeviceContext context;
    private final SquareProduct product;

    GemmTuner(DeviceContext context, GemmKernels kernels) {
        this(context, (tiles, transposeA, transposeB, n, a, b, c) -> kernels.run(tiles, transposeA, transposeB, n, n, n, 1f, a, b, 0f,
                c, GemmKernels.Epilogue.PLAIN, Activation.IDENTITY, c, c));
    }

    GemmTuner(DeviceContext context, SquareProduct product) {
        this.context = context;
        this.product = product;
    }

    /** Passes {@code report} a line for each measurement as it is made, then the choice. */
    void tune(Consumer<String> report) {
        OpenClDevice device = context.device();
        // Large enough to fill a GPU; small enough that a CPU device answers in seconds.
        int n = device.gpu() ? 2048 : 256;
        int repetitions = device.gpu() ? 10 : 3;
        long started = System.nanoTime();
        report.accept("opencl tune on " + device.summary());
        report.accept("gemm " + n + "×" + n + "×" + n + " (A·Bᵀ, the dense-layer case), each candidate checked against float64 first, best of "
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
            Map<GemmParameters, Double> rates = new LinkedHashMap<>();
            List<GemmParameters> candidates = candidates(device);
            for (GemmParameters candidate : candidates) {
                try {
                    double rate = measure(candidate, false, true, n, a, b, da, db, dc, repetitions);
                    report.accept(String.format(Locale.ROOT, "  %-24s %10.1f GFLOP/s", candidate.text(), rate / 1e9));
                    rates.put(candidate, rate);
                } catch (RuntimeException e) {
                    report.accept("  " + candidate.text() + " skipped: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                }
            }
            GemmTileSet fallback = GemmTileSet.defaultFor(device);
            if (rates.isEmpty()) {
                report.accept("no candidate ran; keeping the default " + fallback.text());
                return;
            }
            GemmParameters large = fastest(rates, candidate -> true);
            GemmParameters medium = fastest(rates, candidate -> 4 * candidate.area() <= large.area());
            GemmTileSet chosen = new GemmTileSet(large, medium != null ? medium : GemmParameters.SMALL);
            TuningCache.store(device, chosen);
            // A training step uses three of the four cases (x·Wᵀ forward, δ·W back, δᵀ·x for the
            // gradient); the ranking above saw only one.
            report.accept(String.format(Locale.ROOT, "%s in every case: A·B %.1f, Aᵀ·B %.1f, A·Bᵀ %.1f, Aᵀ·Bᵀ %.1f GFLOP/s", large.text(),
                    measure(large, false, false, n, a, b, da, db, dc, repetitions) / 1e9,
                    measure(large, true, false, n, a, b, da, db, dc, repetitions) / 1e9,
                    rates.get(large) / 1e9,
                    measure(large, true, true, n, a, b, da, db, dc, repetitions) / 1e9));
            Double fallbackRate = rates.get(fallback.large());
            report.accept(String.format(Locale.ROOT, "%d candidates in %.0f s", candidates.size(), (System.nanoTime() - started) / 1e9));
            report.accept(String.format(Locale.ROOT, "chose %s: %.1f GFLOP/s%s; cached in %s", chosen.text(), rates.get(large) / 1e9,
                    fallbackRate != null ? String.format(Locale.ROOT, " (%.2f× the default %s)", rates.get(large) / fallbackRate,
                            fallback.large().text()) : "",
                    TuningCache.file()));
        } finally {
            context.release(da);
            context.release(db);
            context.release(dc);
        }
    }

    private static GemmParameters fastest(Map<GemmParameters, Double> rates, Predicate<GemmParameters> allowed) {
        return rates.entrySet().stream().filter(entry -> allowed.test(entry.getKey()))
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    private double measure(GemmParameters tiles, boolean transposeA, boolean transposeB, int n, float[] a, float[] b,
                           DeviceBuffer da, DeviceBuffer db, DeviceBuffer dc, int repetitions) {
        product.run(tiles, transposeA, transposeB, n, da, db, dc);
        float[] c = new float[n * n];
        context.read(dc, c);
        check(tiles, transposeA, transposeB, n, a, b, c);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            product.run(tiles, transposeA, transposeB, n, da, db, dc);
            context.finish();
            best = Math.min(best, System.nanoTime() - start);
        }
        return 2.0 * n * n * n / (best / 1e9);
    }

    /** Compares sampled entries of C = op(A)·op(B) with float64 sums, within the contract's summation bound. */
    private static void check(GemmParameters tiles, boolean transposeA, boolean transposeB, int n, float[] a, float[] b, float[] c) {
        SplittableRandom random = new SplittableRandom(7);
        int samples = Math.min(n * n, 4096);
        for (int s = 0; s < samples; s++) {
            int i = samples == n * n ? s / n : random.nextInt(n);
            int j = samples == n * n ? s % n : random.nextInt(n);
            double sum = 0;
            double magnitude = 0;
            for (int p = 0; p < n; p++) {
                double term = (double) (transposeA ? a[p * n + i] : a[i * n + p]) * (transposeB ? b[j * n + p] : b[p * n + j]);
                sum += term;
                magnitude += Math.abs(term);
            }
            double allowed = (n + 4) * Math.ulp(1.0f) * magnitude;
            if (!(Math.abs(c[i * n + j] - sum) <= allowed)) {
                throw new IllegalStateException("tiles " + tiles.text() + (transposeA ? " Aᵀ" : " A") + (transposeB ? "·Bᵀ" : "·B")
                        + " computed C[" + i + ", " + j + "] = " + c[i * n + j]
                        + ", expected " + sum + " ± " + allowed);
            }
        }
    }

    /**
     * Tile shapes that fit the device's work-group and local-memory limits; a short list on
     * non-GPU devices. On GPUs, after the first tune on an H200 (docs/performance.md): 4 × 4
     * register blocks came no closer than 0.71 of the best and are left out; every staging stays,
     * since register prefetch won 22 of the 35 shapes it was tried on and lost the other 13 by up
     * to 26 %; 8 × 16 blocks are tried on the largest tiles.
     */
    static List<GemmParameters> candidates(OpenClDevice device) {
        List<GemmParameters> all = new ArrayList<>();
        if (device.gpu()) {
            int[] tiles = {64, 128};
            int[] depths = {8, 16, 32};
            int[][] works = {{8, 8}, {8, 4}, {4, 8}};
            for (int tileM : tiles) {
                for (int tileN : tiles) {
                    for (int tileK : depths) {
                        for (int[] work : works) {
                            addEveryStaging(all, tileM, tileN, tileK, work[0], work[1]);
                        }
                    }
                }
            }
            for (int tileK : new int[] {8, 16}) {
                addEveryStaging(all, 128, 256, tileK, 8, 16);
                addEveryStaging(all, 256, 128, tileK, 16, 8);
            }
        } else {
            // PoCL takes tens of seconds to compile 8-wide register blocks, which CPUs with their
            // few vector registers do not profit from anyway.
            all.add(new GemmParameters(64, 64, 16, 4, 4));
            all.add(new GemmParameters(32, 32, 16, 4, 4));
            all.add(new GemmParameters(64, 64, 8, 4, 4));
            all.add(new GemmParameters(64, 64, 16, 4, 4, GemmParameters.Staging.PREFETCH));
            all.add(new GemmParameters(64, 64, 16, 4, 4, GemmParameters.Staging.DOUBLE_BUFFER));
        }
        return all.stream().filter(t -> t.threads() >= 32 && t.fits(device)).toList();
    }

    private static void addEveryStaging(List<GemmParameters> all, int tileM, int tileN, int tileK, int workM, int workN) {
        GemmParameters direct = new GemmParameters(tileM, tileN, tileK, workM, workN);
        all.add(direct);
        if (GemmParameters.fetchesDivideEvenly(tileM, tileN, tileK, workM, workN)) {
            all.add(direct.with(GemmParameters.Staging.PREFETCH));
            all.add(direct.with(GemmParameters.Staging.DOUBLE_BUFFER));
        }
    }

    private static float[] randomValues(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
