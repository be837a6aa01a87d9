package dev.bp4j.cpu.gemm;

/**
 * How one GEMM is split between threads: C is cut into a (rowParts × colParts) grid of
 * rectangles on micro-tile boundaries, and each thread packs and multiplies its own
 * rectangle; where the threads share packed panels, each multiplies an equal run of tiles
 * instead ({@link #tileRun}), and the grid gives the part count and the run's direction.
 * Among the grids with as many rectangles as threads, the one that packs the least in total is
 * taken: each rectangle packs its rows of A and its columns of B, so a grid of (pm × pn) packs
 * pn·m·k + pm·k·n elements. For skinny C (few rows) that splits N, for wide C with few columns
 * it splits M.
 */
record GemmGrid(int rowParts, int colParts, int rowTiles, int colTiles) {

    /**
     * Which way to cut C: along the rows or the columns, chosen by the caller because that is
     * where the operands' owners are, or whichever grid packs the least.
     */
    enum Split { ROWS, COLUMNS, LEAST_PACKING }

    /**
     * Cuts C into as many rectangles as it has micro-tiles for, up to {@code parts}, with as
     * many bands along {@code split} as there are tiles that way: a forward product with 256
     * outputs has 8 column tiles, and cut only by columns it would leave 8 of 16 threads idle,
     * so the rest cut the rows. {@link Split#LEAST_PACKING}: the grid {@link #of(int, int, int)}
     * picks.
     */
    static GemmGrid of(int parts, int m, int n, Split split) {
        if (split == Split.LEAST_PACKING) {
            return of(parts, m, n);
        }
        int rowTiles = ceilDiv(m, MicroKernel.ROWS);
        int colTiles = ceilDiv(n, MicroKernel.COLS);
        GemmGrid best = new GemmGrid(1, 1, rowTiles, colTiles);
        for (int rowParts = 1; rowParts <= Math.min(parts, rowTiles); rowParts++) {
            int colParts = Math.min(parts / rowParts, colTiles);
            GemmGrid grid = new GemmGrid(rowParts, colParts, rowTiles, colTiles);
            if (grid.parts() > best.parts() || grid.parts() == best.parts() && grid.along(split) > best.along(split)) {
                best = grid;
            }
        }
        return best;
    }

    /** Bands along {@code split}. */
    private int along(Split split) {
        return split == Split.ROWS ? rowParts : colParts;
    }

    static GemmGrid of(int parts, int m, int n) {
        int rowTiles = ceilDiv(m, MicroKernel.ROWS);
        int colTiles = ceilDiv(n, MicroKernel.COLS);
        for (int wanted = Math.min(parts, rowTiles * colTiles); wanted > 1; wanted--) {
            GemmGrid best = null;
            long bestCost = Long.MAX_VALUE;
            for (int rowParts = 1; rowParts <= wanted; rowParts++) {
                if (wanted % rowParts != 0) {
                    continue;
                }
                int colParts = wanted / rowParts;
                if (rowParts > rowTiles || colParts > colTiles) {
                    continue;
                }
                long cost = (long) colParts * m + (long) rowParts * n;
                if (cost < bestCost) {
                    bestCost = cost;
                    best = new GemmGrid(rowParts, colParts, rowTiles, colTiles);
                }
            }
            if (best != null) {
                return best;
            }
        }
        return new GemmGrid(1, 1, rowTiles, colTiles);
    }

    int parts() {
        return rowParts * colParts;
    }

    /** Rows [firstRow, endRow) and columns [firstCol, endCol) of C are part {@code part}'s rectangle. */
    int firstRow(int part, int m) {
        return rowStart(part / colParts, m);
    }

    int endRow(int part, int m) {
        return rowStart(part / colParts + 1, m);
    }

    int firstCol(int part, int n) {
        return colStart(part % colParts, n);
    }

    int endCol(int part, int n) {
        return colStart(part % colParts + 1, n);
    }

    /**
     * Part {@code part}'s share of a block of {@code blockRowTiles × blockColTiles} micro-tiles, where
     * the parts multiply out of shared panels and any part may take any tile: an equal run of
     * the block's tiles, in rows of tiles where the grid cuts C into at least as many row bands
     * as column bands (so a part keeps to about the rows of its band), else in columns of
     * tiles. Runs differ by at most one tile, where the grid's rectangles differ by whole
     * bands: a 256-wide layer's weight gradient (26 × 25 tiles at 512 bits) cut into 16 row
     * bands gives some parts two rows of tiles and some one, so the product takes as long as
     * 50 tiles where the mean is 40.6 (0.81); runs of 40 or 41 tiles take as long as 41 (0.99).
     * Writes the run as up to three rectangles of tiles, each {first row tile, end row tile,
     * first column tile, end column tile}, into {@code out} and returns how many.
     */
    int tileRun(int part, int blockRowTiles, int blockColTiles, int[] out) {
        boolean byRows = rowParts >= colParts;
        int lines = byRows ? blockRowTiles : blockColTiles;
        int along = byRows ? blockColTiles : blockRowTiles;
        long tiles = (long) lines * along;
        long first = tiles * part / parts();
        long end = tiles * (part + 1) / parts();
        int rectangles = 0;
        while (first < end) {
            int line = (int) (first / along);
            int from = (int) (first % along);
            int lineEnd;
            int to;
            if (from == 0 && end - first >= along) {
                // Whole lines, as many as the run holds.
                lineEnd = (int) (end / along);
                to = along;
            } else {
                lineEnd = line + 1;
                to = (int) Math.min(along, end - (long) line * along);
            }
            int at = 4 * rectangles++;
            if (byRows) {
                out[at] = line;
                out[at + 1] = lineEnd;
                out[at + 2] = from;
                out[at + 3] = to;
            } else {
                out[at] = from;
                out[at + 1] = to;
                out[at + 2] = line;
                out[at + 3] = lineEnd;
            }
            first = (long) (lineEnd - 1) * along + to;
        }
        return rectangles;
    }

    /** First row of the rectangle's row band {@code band}, on a micro-tile boundary. */
    int rowStart(int band, int m) {
        return shareStart(rowTiles, band, rowParts, MicroKernel.ROWS, m);
    }

    int colStart(int band, int n) {
        return shareStart(colTiles, band, colParts, MicroKernel.COLS, n);
    }

    /**
     * Where share {@code share} of {@code shares} begins when {@code tiles} tiles of
     * {@code tileSize} elements are split evenly, in whole tiles, over an extent of
     * {@code extent} elements (the last tile may be partial).
     */
    static int shareStart(int tiles, int share, int shares, int tileSize, int extent) {
        return Math.min(extent, (int) ((long) tiles * share / shares) * tileSize);
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
