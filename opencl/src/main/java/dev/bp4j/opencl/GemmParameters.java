package dev.bp4j.opencl;

/**
 * The tile shape of gemm.cl: a work group computes a tileM × tileN block of C in steps of tileK,
 * each work item a workM × workN register block; with prefetch, each item loads the next step's
 * tiles into registers while it multiplies the current ones. The defines and constraints are
 * those of the kernel's header; the text form "64x64x16/4x4" (or "128x128x16/8x8/prefetch") is
 * what the tuning cache stores.
 */
record GemmParameters(int tileM, int tileN, int tileK, int workM, int workN, boolean prefetch) {

    private static final String PREFETCH_SUFFIX = "/prefetch";

    /** Small enough to keep every compute unit busy on the small products of small batches. */
    static final GemmParameters SMALL = new GemmParameters(32, 32, 16, 4, 4);

    GemmParameters(int tileM, int tileN, int tileK, int workM, int workN) {
        this(tileM, tileN, tileK, workM, workN, false);
    }

    GemmParameters {
        if (workM % 4 != 0 || workN % 4 != 0 || tileK % 4 != 0 || workM < 4 || workN < 4 || tileK < 4
                || tileM % workM != 0 || tileN % workN != 0) {
            throw new IllegalArgumentException("gemm tiles " + tileM + "x" + tileN + "x" + tileK + "/" + workM + "x" + workN
                    + ": expected workM, workN and tileK multiples of 4, tileM a multiple of workM and tileN of workN");
        }
        if (prefetch && !prefetchDividesEvenly(tileM, tileN, tileK, workM, workN)) {
            throw new IllegalArgumentException("gemm tiles " + tileM + "x" + tileN + "x" + tileK + "/" + workM + "x" + workN
                    + PREFETCH_SUFFIX + ": expected tileK·tileM/4 and tileK·tileN/4 to be multiples of the work-group size");
        }
    }

    /** Whether every work item fetches the same whole number of float4s of each tile. */
    static boolean prefetchDividesEvenly(int tileM, int tileN, int tileK, int workM, int workN) {
        int threads = (tileM / workM) * (tileN / workN);
        return (tileK * tileM / 4) % threads == 0 && (tileK * tileN / 4) % threads == 0;
    }

    GemmParameters withPrefetch() {
        return new GemmParameters(tileM, tileN, tileK, workM, workN, true);
    }

    /** The untuned choice: large register blocks on GPUs, where registers are plentiful; modest ones elsewhere. */
    static GemmParameters defaultFor(OpenClDevice device) {
        GemmParameters large = new GemmParameters(128, 128, 16, 8, 8);
        return device.gpu() && large.threads() <= device.maxWorkGroupSize() ? large : new GemmParameters(64, 64, 16, 4, 4);
    }

    int threadsM() {
        return tileM / workM;
    }

    int threadsN() {
        return tileN / workN;
    }

    int threads() {
        return threadsM() * threadsN();
    }

    long localMemoryBytes() {
        return (long) Float.BYTES * tileK * (tileM + tileN);
    }

    String defines() {
        return "-DTILE_M=" + tileM + " -DTILE_N=" + tileN + " -DTILE_K=" + tileK + " -DWORK_M=" + workM + " -DWORK_N=" + workN + " -DPREFETCH=" + (prefetch ? 1 : 0);
    }

    String text() {
        return tileM + "x" + tileN + "x" + tileK + "/" + workM + "x" + workN + (prefetch ? PREFETCH_SUFFIX : "");
    }

    /** Parses {@link #text()}; {@code where} names the source for the error message. */
    static GemmParameters parse(String text, String where) {
        String trimmed = text.trim();
        boolean prefetched = trimmed.endsWith(PREFETCH_SUFFIX);
        String[] halves = (prefetched ? trimmed.substring(0, trimmed.length() - PREFETCH_SUFFIX.length()) : trimmed).split("/");
        String[] tiles = halves[0].split("x");
        String[] work = halves.length == 2 ? halves[1].split("x") : new String[0];
        if (tiles.length != 3 || work.length != 2) {
            throw new IllegalArgumentException(where + ": expected gemm tiles as MxNxK/WMxWN[/prefetch] (e.g. 64x64x16/4x4), got '"
                    + text + "'");
        }
        try {
            return new GemmParameters(Integer.parseInt(tiles[0]), Integer.parseInt(tiles[1]), Integer.parseInt(tiles[2]),
                    Integer.parseInt(work[0]), Integer.parseInt(work[1]), prefetched);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": expected gemm tiles as MxNxK/WMxWN with integers, got '" + text + "'", e);
        }
    }
}
