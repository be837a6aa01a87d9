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
 * <p>Owns one packing workspace per thread, grown on demand and reused across calls.
 */
public final class Gemm {

    /** Below this many flops a second thread costs more in hand-off than it saves. */
    private static final long PARALLEL_FLOPS = 1L << 19;
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    private final WorkerPool pool;
    private final GemmBlocking blocking;
    private final Workspace[] workspaces;
    private final NarrowOutputGemm narrow;

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
        pool.run(grid.parts(), (part, worker) -> {
            int rowBand = part / grid.colParts();
            int colBand = part % grid.colParts();
            int i0 = grid.rowStart(rowBand, op.m());
            int i1 = grid.rowStart(rowBand + 1, op.m());
            int j0 = grid.colStart(colBand, op.n());
            int j1 = grid.colStart(colBand + 1, op.n());
            if (i0 < i1 && j0 < j1) {
                multiplyRectangle(op, i0, i1, j0, j1, workspaces[worker]);
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
                PanelPacking.packB(op, pc, depth, jc, cols, packedB);
                for (int ic = i0; ic < i1; ic += blocking.rows()) {
                    int rows = Math.min(blocking.rows(), i1 - ic);
                    float[] packedA = space.packedA(roundUp(rows, MicroKernel.ROWS) * depth);
                    PanelPacking.packA(op, ic, rows, pc, depth, packedA);
                    multiplyBlock(op, packedA, ic, rows, packedB, jc, cols, depth, accumulate, last, space.tile);
                }
            }
        }
    }

    private static void multiplyBlock(GemmOperands op, float[] packedA, int ic, int rows, float[] packedB,
                                      int jc, int cols, int depth, boolean accumulate, boolean last, float[] tile) {
        float[] c = op.c();
        int ldc = op.ldc();
        Epilogue epilogue = op.epilogue();
        for (int jr = 0; jr < cols; jr += MicroKernel.COLS) {
            int tileCols = Math.min(MicroKernel.COLS, cols - jr);
            int bAt = jr * depth;
            for (int ir = 0; ir < rows; ir += MicroKernel.ROWS) {
                int tileRows = Math.min(MicroKernel.ROWS, rows - ir);
                int aAt = ir * depth;
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

    /** One thread's packing buffers and edge tile. */
    private static final class Workspace {
        private float[] packedA = new float[0];
        private float[] packedB = new float[0];
        private final float[] tile = new float[MicroKernel.ROWS * MicroKernel.COLS];

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
