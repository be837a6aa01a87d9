package dev.bp4j.opencl;

/**
 * The tile shape of gemm.cl: a work group computes a tileM × tileN block of C in steps of tileK,
 * each work item a workM × workN register block, and {@link Staging} says how each step's tiles
 * reach local memory. The defines and constraints are those of the kernel's header; the text form
 * "64x64x16/4x4" (or "128x128x8/8x8/prefetch") is what the tuning cache stores.
 */
record GemmParameters(int tileM, int tileN, int tileK, int workM, int workN, Staging staging) {

    /** gemm.cl's STAGING values, in order, with the suffix each adds to the text form. */
    enum Staging {
        /** Fetch into local memory, then multiply: the loads' latency is exposed every step. */
        DIRECT(""),
        /** The next step's tiles are fetched into registers while the current step multiplies. */
        PREFETCH("/prefetch"),
        /** As PREFETCH, into a second local tile: one barrier a step instead of two. */
        DOUBLE_BUFFER("/double-buffer");

        final String suffix;

        Staging(String suffix) {
            this.suffix = suffix;
        }
    }

    /** Small enough to keep every compute unit busy on the small products of small batches. */
    static final GemmParameters SMALL = new GemmParameters(32, 32, 16, 4, 4);

    GemmParameters(int tileM, int tileN, int tileK, int workM, int workN) {
        this(tileM, tileN, tileK, workM, workN, Staging.DIRECT);
    }

    GemmParameters {
        if (workM % 4 != 0 || workN % 4 != 0 || tileK % 4 != 0 || workM < 4 || workN < 4 || tileK < 4
                || tileM % workM != 0 || tileN % workN != 0) {
            throw new IllegalArgumentException("gemm tiles " + tileM + "x" + tileN + "x" + tileK + "/" + workM + "x" + workN
                    + ": expected workM, workN and tileK multiples of 4, tileM a multiple of workM and tileN of workN");
        }
        if (staging != Staging.DIRECT && !fetchesDivideEvenly(tileM, tileN, tileK, workM, workN)) {
            throw new IllegalArgumentException("gemm tiles " + tileM + "x" + tileN + "x" + tileK + "/" + workM + "x" + workN
                    + staging.suffix + ": expected tileK·tileM/4 and tileK·tileN/4 to be multiples of the work-group size");
        }
    }

    /** Whether every work item fetches the same whole number of float4s of each tile, as staging through registers needs. */
    static boolean fetchesDivideEvenly(int tileM, int tileN, int tileK, int workM, int workN) {
        int threads = (tileM / workM) * (tileN / workN);
        return (tileK * tileM / 4) % threads == 0 && (tileK * tileN / 4) % threads == 0;
    }

    GemmParameters with(Staging other) {
        return new GemmParameters(tileM, tileN, tileK, workM, workN, other);
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

    int area() {
        return tileM * tileN;
    }

    /** Work groups along C's rows for m rows, the last one partial. */
    int rowBlocks(int m) {
        return (m + tileM - 1) / tileM;
    }

    /** Work groups along C's columns for n columns, the last one partial. */
    int colBlocks(int n) {
        return (n + tileN - 1) / tileN;
    }

    long localMemoryBytes() {
        return (long) Float.BYTES * tileK * (tileM + tileN) * (staging == Staging.DOUBLE_BUFFER ? 2 : 1);
    }

    /** Whether the device can run a work group of this shape. */
    boolean fits(OpenClDevice device) {
        return threads() <= device.maxWorkGroupSize() && localMemoryBytes() <= device.localMemoryBytes();
    }

    String defines() {
        return "-DTILE_M=" + tileM + " -DTILE_N=" + tileN + " -DTILE_K=" + tileK + " -DWORK_M=" + workM + " -DWORK_N=" + workN
                + " -DSTAGING=" + staging.ordinal();
    }

    String text() {
        return tileM + "x" + tileN + "x" + tileK + "/" + workM + "x" + workN + staging.suffix;
    }

    /** Parses {@link #text()}; {@code where} names the source for the error message. */
    static GemmParameters parse(String text, String where) {
        String trimmed = text.trim();
        Staging staging = Staging.DIRECT;
        for (Staging candidate : Staging.values()) {
            if (!candidate.suffix.isEmpty() && trimmed.endsWith(candidate.suffix)) {
                staging = candidate;
                trimmed = trimmed.substring(0, trimmed.length() - candidate.suffix.length());
            }
        }
        String[] halves = trimmed.split("/");
        String[] tiles = halves[0].split("x");
        String[] work = halves.length == 2 ? halves[1].split("x") : new String[0];
        if (tiles.length != 3 || work.length != 2) {
            throw new IllegalArgumentException(where + ": expected gemm tiles as MxNxK/WMxWN[/prefetch|/double-buffer]"
                    + " (e.g. 64x64x16/4x4), got '" + text + "'");
        }
        try {
            return new GemmParameters(Integer.parseInt(tiles[0]), Integer.parseInt(tiles[1]), Integer.parseInt(tiles[2]),
                    Integer.parseInt(work[0]), Integer.parseInt(work[1]), staging);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": expected gemm tiles as MxNxK/WMxWN with integers, got '" + text + "'", e);
        }
    }
}
