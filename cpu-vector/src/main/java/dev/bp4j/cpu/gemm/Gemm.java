package dev.bp4j.cpu.gemm;

import dev.bp4j.cpu.VectorWidth;
import dev.bp4j.cpu.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The packed GEMM driver: splits C between the pool's threads ({@link GemmGrid}), walks each
 * rectangle in cache blocks ({@link GemmBlocking}), packs the blocks ({@link PanelPacking}),
 * runs {@link MicroKernel} over full tiles and a scratch tile at the edges, and applies the
 * {@link Epilogue} to each tile once its last block of k is in. α is folded into the packed A
 * panels and β applied to C before the first block of k, so each tile is only overwritten or
 * added onto.
 *
 * <p>Split between threads, the rectangles of one row band need the same rows of A and those
 * of one column band the same columns of B. Packed per rectangle, each thread packs all of the
 * operand it shares: in a training step's forward product (C cut by columns, the weights'
 * owners) every thread packs the whole batch of inputs, and in the weight gradient (cut by
 * rows) the whole layer input. T threads pack it T times while each multiplies a T-th, so from
 * {@link #SHARED_PANELS_FROM_PARTS} parts on the threads pack each block of A and B once, into
 * buffers they share, each its own share of the panels (the bands it also multiplies where
 * the grid cuts that way, so the rows it gathered or the weights it updated stay on its core),
 * meet at a barrier, and multiply out of the shared panels, each an equal run of C's tiles
 * ({@link GemmGrid#tileRun}) rather than its rectangle, which can be a whole band of tiles
 * larger than another's. Two sets of buffers alternate, so the next block can be packed
 * while a slower thread still multiplies out of the last: one barrier per block. Every
 * element of C still sums the same blocks of k in the same order with the same kernel, so the
 * result has the same bits either way and however many threads share it.
 *
 * <p>Owns one packing workspace per thread and the shared buffers, grown on demand and
 * reused across calls.
 */
public final class Gemm {

    /** Below this many flops a second thread costs more in hand-off than it saves. */
    static final long PARALLEL_FLOPS = 1L << 19;
    /**
     * From this many parts the threads share the packed panels. On two threads shared and own
     * panels measured the same (docs/performance.md), and own panels let the caller take a part
     * whose thread has not started; from three on, own panels pack the shared operand once per
     * part while each part's share of the multiplying shrinks.
     */
    static final int SHARED_PANELS_FROM_PARTS = 3;
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    private final WorkerPool pool;
    private final GemmBlocking blocking;
    private final Workspace[] workspaces;
    private final NarrowOutputGemm narrow;
    private final SharedPanels shared = new SharedPanels();

    public Gemm(WorkerPool pool, GemmBlocking blocking) {
        this.pool = pool;
        this.blocking = blocking;
        this.narrow = new NarrowOutputGemm(pool);
        this.workspaces = new Workspace[pool.threads()];
        for (int i = 0; i < workspaces.length; i++) {
            workspaces[i] = new Workspace();
        }
    }

    public void multiply(GemmOperands op) {
        if (DotProductGemm.suits(op)) {
            DotProductGemm.multiply(op);
            return;
        }
        if (NarrowOutputGemm.suits(op)) {
            narrow.multiply(op);
            return;
        }
        long flops = 2L * op.m() * op.n() * op.k();
        // Split C so each thread reads the operand bands it wrote itself. The stored Aᵀ's columns
        // are C's rows: in training Aᵀ is δᵀ, whose columns (neurons) each thread produced in
        // the column-split backward product, and the weight gradient's row bands are then also
        // what the row-range optimizer update of the same thread reads. A stored Bᵀ's rows are
        // C's columns: the weights, whose row bands that update wrote.
        GemmGrid.Split split = op.transposeA() ? GemmGrid.Split.ROWS
                : op.transposeB() ? GemmGrid.Split.COLUMNS
                : GemmGrid.Split.LEAST_PACKING;
        GemmGrid grid = GemmGrid.of(flops < PARALLEL_FLOPS ? 1 : pool.threads(), op.m(), op.n(), split);
        if (grid.parts() >= SHARED_PANELS_FROM_PARTS && op.k() > 0) {
            multiplyTogether(op, grid);
            return;
        }
        // Up to two rectangles: each packs its own.
        pool.run(grid.parts(), (part, worker) -> {
            int i0 = grid.firstRow(part, op.m());
            int i1 = grid.endRow(part, op.m());
            int j0 = grid.firstCol(part, op.n());
            int j1 = grid.endCol(part, op.n());
            if (i0 < i1 && j0 < j1) {
                multiplyRectangle(op, i0, i1, j0, j1, workspaces[worker]);
            }
        });
    }

    /** The product with the panels of each block packed once, shared by all parts of {@code grid}. */
    private void multiplyTogether(GemmOperands op, GemmGrid grid) {
        int m = op.m();
        int n = op.n();
        int k = op.k();
        int depthMax = Math.min(blocking.depth(), k);
        shared.grow(roundUp(m, MicroKernel.ROWS) * depthMax, roundUp(Math.min(blocking.cols(), n), MicroKernel.COLS) * depthMax);
        int parts = grid.parts();
        pool.runTogether(parts, (part, worker) -> {
            float beta = op.beta();
            Workspace space = workspaces[worker];
            int[] run = space.tileRun;
            // This part's share of A's panels (one per row tile): the grid's row bands when it has one per part.
            int aFrom = GemmGrid.shareStart(grid.rowTiles(), part, parts, MicroKernel.ROWS, m);
            int aTo = GemmGrid.shareStart(grid.rowTiles(), part + 1, parts, MicroKernel.ROWS, m);
            int block = 0;
            for (int jc = 0; jc < n; jc += blocking.cols()) {
                int cols = Math.min(blocking.cols(), n - jc);
                int bPanels = GemmGrid.ceilDiv(cols, MicroKernel.COLS);
                int bFrom = GemmGrid.shareStart(bPanels, part, parts, MicroKernel.COLS, cols);
                int bTo = GemmGrid.shareStart(bPanels, part + 1, parts, MicroKernel.COLS, cols);
                // This part's tiles of this block of columns, the same for every block of k.
                int rectangles = grid.tileRun(part, grid.rowTiles(), bPanels, run);
                for (int pc = 0; pc < k; pc += blocking.depth(), block++) {
                    int depth = Math.min(blocking.depth(), k - pc);
                    boolean accumulate = pc > 0 || beta != 0f;
                    boolean last = pc + depth == k;
                    float[] packedA = shared.a[block & 1];
                    float[] packedB = shared.b[block & 1];
                    if (aFrom < aTo) {
                        PanelPacking.packA(op, aFrom, aTo - aFrom, pc, depth, packedA, aFrom * depth);
                    }
                    if (bFrom < bTo) {
                        PanelPacking.packB(op, pc, depth, jc + bFrom, bTo - bFrom, packedB, bFrom * depth);
                    }
                    pool.barrier();
                    for (int r = 0; r < 4 * rectangles; r += 4) {
                        int i0 = run[r] * MicroKernel.ROWS;
                        int i1 = Math.min(m, run[r + 1] * MicroKernel.ROWS);
                        int from = jc + run[r + 2] * MicroKernel.COLS;
                        int to = Math.min(jc + cols, jc + run[r + 3] * MicroKernel.COLS);
                        if (pc == 0 && beta != 0f && beta != 1f) {
                            // The tile's owner scales it before its first block: no other part touches it.
                            scale(op.c(), op.ldc(), i0, i1, from, to, beta);
                        }
                        for (int ic = i0; ic < i1; ic += blocking.rows()) {
                            int rows = Math.min(blocking.rows(), i1 - ic);
                            multiplyBlock(op, packedA, ic * depth, ic, rows, packedB, (from - jc) * depth, from, to - from,
                                    depth, accumulate, last, space.tile);
                        }
                    }
                }
            }
        });
    }

    private void multiplyRectangle(GemmOperands op, int i0, int i1, int j0, int j1, Workspace space) {
        int k = op.k();
        float beta = op.beta();
        // β other than 0 and 1 is applied to C up front, so tiles are only overwritten or added onto.
        if (beta != 0f && beta != 1f || k == 0) {
            scale(op.c(), op.ldc(), i0, i1, j0, j1, beta);
        }
        for (int jc = j0; jc < j1; jc += blocking.cols()) {
            int cols = Math.min(blocking.cols(), j1 - jc);
            for (int pc = 0; pc < k; pc += blocking.depth()) {
                int depth = Math.min(blocking.depth(), k - pc);
                // The first block of k overwrites C when β = 0; every other block adds onto it.
                boolean accumulate = pc > 0 || beta != 0f;
                boolean last = pc + depth == k;
                float[] packedB = space.packedB(roundUp(cols, MicroKernel.COLS) * depth);
                PanelPacking.packB(op, pc, depth, jc, cols, packedB, 0);
                for (int ic = i0; ic < i1; ic += blocking.rows()) {
                    int rows = Math.min(blocking.rows(), i1 - ic);
                    float[] packedA = space.packedA(roundUp(rows, MicroKernel.ROWS) * depth);
                    PanelPacking.packA(op, ic, rows, pc, depth, packedA, 0);
                    multiplyBlock(op, packedA, 0, ic, rows, packedB, 0, jc, cols, depth, accumulate, last, space.tile);
                }
            }
        }
    }

    /**
     * C[ic .. ic+rows, jc .. jc+cols) from the packed A panels from {@code aBase} on (row ic's
     * panel first) and the packed B panels from {@code bBase} on (column jc's panel first).
     */
    private static void multiplyBlock(GemmOperands op, float[] packedA, int aBase, int ic, int rows, float[] packedB, int bBase,
                                      int jc, int cols, int depth, boolean accumulate, boolean last, float[] tile) {
        float[] c = op.c();
        int ldc = op.ldc();
        Epilogue epilogue = op.epilogue();
        for (int jr = 0; jr < cols; jr += MicroKernel.COLS) {
            int tileCols = Math.min(MicroKernel.COLS, cols - jr);
            int bAt = bBase + jr * depth;
            for (int ir = 0; ir < rows; ir += MicroKernel.ROWS) {
                int tileRows = Math.min(MicroKernel.ROWS, rows - ir);
                int aAt = aBase + ir * depth;
                int row = ic + ir;
                int col = jc + jr;
                int cAt = row * ldc + col;
                // Full tiles of the first block of k go straight to C; edge tiles, and tiles to
                // be added onto C, through the scratch tile. One call site, so C2 compiles the
                // large kernel body once, whichever kind of tile comes first.
                boolean direct = tileRows == MicroKernel.ROWS && tileCols == MicroKernel.COLS && !accumulate;
                MicroKernel.multiply(depth, packedA, aAt, packedB, bAt,
                        direct ? c : tile, direct ? cAt : 0, direct ? ldc : MicroKernel.COLS);
                if (!direct) {
                    mergeTile(tile, tileRows, tileCols, accumulate, c, cAt, ldc);
                }
                if (last && epilogue != Epilogue.NONE) {
                    for (int r = 0; r < tileRows; r++) {
                        epilogue.apply(c, cAt + r * ldc, row + r, col, tileCols);
                    }
                }
            }
        }
    }

    /** The part of the scratch tile that lies inside C, written or added. */
    private static void mergeTile(float[] tile, int rows, int cols, boolean accumulate, float[] c, int cAt, int ldc) {
        for (int r = 0; r < rows; r++) {
            int to = cAt + r * ldc;
            int from = r * MicroKernel.COLS;
            if (accumulate) {
                int j = 0;
                for (int bound = S.loopBound(cols); j < bound; j += S.length()) {
                    FloatVector.fromArray(S, c, to + j).add(FloatVector.fromArray(S, tile, from + j)).intoArray(c, to + j);
                }
                for (; j < cols; j++) {
                    c[to + j] += tile[from + j];
                }
            } else {
                System.arraycopy(tile, from, c, to, cols);
            }
        }
    }

    /** C[i0..i1, j0..j1) ·= β, with β = 0 writing zeros (C is not read, as in BLAS). */
    private static void scale(float[] c, int ldc, int i0, int i1, int j0, int j1, float beta) {
        for (int i = i0; i < i1; i++) {
            int at = i * ldc;
            for (int j = j0; j < j1; j++) {
                c[at + j] = beta == 0f ? 0f : beta * c[at + j];
            }
        }
    }

    /** x rounded up to a multiple of {@code multiple}: the padded extent of packed panels. */
    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * The packed blocks of A and B that the parts of one product share, two of each so that
     * one is packed while the other is read; grown only by the calling thread, between products.
     */
    private static final class SharedPanels {
        private final float[][] a = {new float[0], new float[0]};
        private final float[][] b = {new float[0], new float[0]};

        void grow(int aLength, int bLength) {
            for (int i = 0; i < 2; i++) {
                if (a[i].length < aLength) {
                    a[i] = new float[aLength];
                }
                if (b[i].length < bLength) {
                    b[i] = new float[bLength];
                }
            }
        }
    }

    /** One thread's packing buffers and edge tile. */
    private static final class Workspace {
        private float[] packedA = new float[0];
        private float[] packedB = new float[0];
        private final float[] tile = new float[MicroKernel.ROWS * MicroKernel.COLS];
        /** The thread's run of tiles in the shared-panel path, as {@link GemmGrid#tileRun} writes it. */
        private final int[] tileRun = new int[12];

        float[] packedA(int length) {
            if (packedA.length < length) {
                packedA = new float[length];
            }
            return packedA;
        }

        float[] packedB(int length) {
            if (packedB.length < length) {
                packedB = new float[length];
            }
            return packedB;
        }
    }
}
