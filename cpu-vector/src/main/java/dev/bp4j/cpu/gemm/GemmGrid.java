package dev.bp4j.cpu.gemm;

/**
 * How one GEMM is split between threads: C is cut into a (rowParts × colParts) grid of
 * rectangles on micro-tile boundaries, and each thread packs and multiplies its own
 * rectangle. Among the grids with as many rectangles as threads, the one that packs the least
 * in total is taken: each rectangle packs its rows of A and its columns of B, so a grid of
 * (pm × pn) packs pn·m·k + pm·k·n elements. For skinny C (few rows) that splits N, for wide
 * C with few columns it splits M.
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

    /** First row of the rectangle's row band {@code band}, on a micro-tile boundary. */
    int rowStart(int band, int m) {
        return Math.min(m, (int) ((long) rowTiles * band / rowParts) * MicroKernel.ROWS);
    }

    int colStart(int band, int n) {
        return Math.min(n, (int) ((long) colTiles * band / colParts) * MicroKernel.COLS);
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
