package dev.bp4j.opencl;

/**
 * The tile shapes gemm.cl runs with on one device. Large blocks are fastest per block but a
 * product with fewer blocks than the device has compute units leaves units idle: a 1024 × 1024
 * product in 128 × 128 blocks is 64 blocks for an H200's 132 units. So each product takes the
 * largest shape that still gives every unit a block: {@code large}, else {@code medium} (at most a
 * quarter of large's area), else {@link GemmParameters#SMALL}. The text form, "LARGE MEDIUM", is
 * what the tuning cache stores; an entry of one shape (older caches) keeps the default medium.
 */
record GemmTileSet(GemmParameters large, GemmParameters medium) {

    /**
     * The untuned choice. GPUs: the best shapes of `bp4j tune` on an NVIDIA H200 (docs/performance.md),
     * large register blocks staged through registers; other devices: modest blocks, which CPUs
     * with their few vector registers do not outgrow.
     */
    static GemmTileSet defaultFor(OpenClDevice device) {
        GemmTileSet gpu = new GemmTileSet(new GemmParameters(128, 128, 8, 8, 8, GemmParameters.Staging.PREFETCH),
                new GemmParameters(64, 64, 32, 8, 8, GemmParameters.Staging.PREFETCH));
        if (device.gpu() && gpu.large.fits(device) && gpu.medium.fits(device)) {
            return gpu;
        }
        return new GemmTileSet(new GemmParameters(64, 64, 16, 4, 4), GemmParameters.SMALL);
    }

    /** The tiles for a product whose C is m × n; called on every launch, so it allocates nothing. */
    GemmParameters forProduct(int m, int n, int computeUnits) {
        if (fillsDevice(large, m, n, computeUnits)) {
            return large;
        }
        if (fillsDevice(medium, m, n, computeUnits)) {
            return medium;
        }
        return GemmParameters.SMALL.area() < medium.area() ? GemmParameters.SMALL : medium;
    }

    private static boolean fillsDevice(GemmParameters tiles, int m, int n, int computeUnits) {
        return (long) tiles.rowBlocks(m) * tiles.colBlocks(n) >= computeUnits;
    }

    String text() {
        return large.text() + " " + medium.text();
    }

    /** Parses {@link #text()}, or one shape with the default medium; {@code where} names the source for errors. */
    static GemmTileSet parse(String text, String where, OpenClDevice device) {
        String[] shapes = text.trim().split("\\s+");
        if (shapes.length > 2) {
            throw new IllegalArgumentException(where + ": expected one or two gemm tile shapes (large, then medium), got '" + text + "'");
        }
        GemmParameters large = GemmParameters.parse(shapes[0], where);
        GemmParameters medium = shapes.length == 2 ? GemmParameters.parse(shapes[1], where) : defaultFor(device).medium;
        return new GemmTileSet(large, medium);
    }
}
