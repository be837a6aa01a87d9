package dev.bp4j.cpu.gemm;

import dev.bp4j.cpu.VectorWidth;
import dev.bp4j.cpu.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = α·A·Bᵀ + β·C when C has at most one vector of columns: a classifier's output layer
 * (batch × 10 logits from 256 hidden units) and its like. The packed path pads those 10 columns
 * to a 32-wide micro-tile, computing 3.2× the products, and packs A for what is a fraction of
 * a megaflop. Here Bᵀ (k × n) is packed once as one B panel, whose step p of k starts with a
 * zero-padded vector of its n columns; A is read in place, and each group of ROWS rows of C
 * accumulates in ROWS vectors, one broadcast of A and one FMA per row and step of k. The output layer of 784-256-256-10 at batch 128 (128 × 10
 * from k = 256, with its bias): 12 µs a call on one Zen 5 core, against 23 µs one thread and
 * 17 µs two on the packed path.
 *
 * <p>Rows of C are split between threads in contiguous ranges, as the elementwise operations
 * split them.
 */
final class NarrowOutputGemm {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int LANES = VectorWidth.LANES;
    /** Independent accumulator chains: enough to cover FMA latency on two pipes. */
    private static final int ROWS = 8;
    /**
     * Below this many vector multiply-adds per thread a second thread costs more than it saves:
     * that output layer (32 K) took 16 µs split in two against 12 µs on one thread.
     */
    private static final int PARALLEL_GRAIN = 1 << 17;

    private final WorkerPool pool;
    /** Bᵀ packed by {@link PanelPacking#packB}; grown on demand, written by the caller only. */
    private float[] transposedB = new float[0];
    /** Per thread: the sums of ROWS rows, handed from the vector loop to {@link #finishRows}. */
    private final float[][] sums;

    NarrowOutputGemm(WorkerPool pool) {
        this.pool = pool;
        this.sums = new float[pool.threads()][ROWS * LANES];
    }

    static boolean suits(GemmOperands op) {
        return !op.transposeA() && op.transposeB() && op.n() <= LANES && op.k() > 0;
    }

    void multiply(GemmOperands op) {
        int k = op.k();
        // Bᵀ's one panel, as the packed path lays it out: step p of k at p·COLS, zero beyond n.
        if (transposedB.length < k * MicroKernel.COLS) {
            transposedB = new float[k * MicroKernel.COLS];
        }
        float[] bt = transposedB;
        PanelPacking.packB(op, 0, k, 0, op.n(), bt, 0);
        // Rows per thread: at least PARALLEL_GRAIN vector multiply-adds (one per row and step of k).
        int grain = Math.max(1, PARALLEL_GRAIN / k);
        pool.runRange(op.m(), grain, (from, to, worker) -> multiplyRows(op, bt, from, to, sums[worker]));
    }

    /**
     * The sums go through {@code tile} rather than to a helper that takes a vector: where C2
     * does not inline such a helper, every vector passed is boxed (measured: 9 KB allocated
     * per training step and the call twice as slow).
     */
    private static void multiplyRows(GemmOperands op, float[] bt, int from, int to, float[] tile) {
        float[] a = op.a();
        int lda = op.lda();
        int k = op.k();
        int i = from;
        for (; i + ROWS <= to; i += ROWS) {
            int a0 = i * lda;
            FloatVector c0 = FloatVector.zero(S);
            FloatVector c1 = FloatVector.zero(S);
            FloatVector c2 = FloatVector.zero(S);
            FloatVector c3 = FloatVector.zero(S);
            FloatVector c4 = FloatVector.zero(S);
            FloatVector c5 = FloatVector.zero(S);
            FloatVector c6 = FloatVector.zero(S);
            FloatVector c7 = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                FloatVector column = FloatVector.fromArray(S, bt, p * MicroKernel.COLS);
                int at = a0 + p;
                c0 = FloatVector.broadcast(S, a[at]).fma(column, c0);
                c1 = FloatVector.broadcast(S, a[at + lda]).fma(column, c1);
                c2 = FloatVector.broadcast(S, a[at + 2 * lda]).fma(column, c2);
                c3 = FloatVector.broadcast(S, a[at + 3 * lda]).fma(column, c3);
                c4 = FloatVector.broadcast(S, a[at + 4 * lda]).fma(column, c4);
                c5 = FloatVector.broadcast(S, a[at + 5 * lda]).fma(column, c5);
                c6 = FloatVector.broadcast(S, a[at + 6 * lda]).fma(column, c6);
                c7 = FloatVector.broadcast(S, a[at + 7 * lda]).fma(column, c7);
            }
            c0.intoArray(tile, 0);
            c1.intoArray(tile, LANES);
            c2.intoArray(tile, 2 * LANES);
            c3.intoArray(tile, 3 * LANES);
            c4.intoArray(tile, 4 * LANES);
            c5.intoArray(tile, 5 * LANES);
            c6.intoArray(tile, 6 * LANES);
            c7.intoArray(tile, 7 * LANES);
            finishRows(op, tile, i, ROWS);
        }
        for (; i < to; i++) {
            int at = i * lda;
            FloatVector c0 = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                c0 = FloatVector.broadcast(S, a[at + p]).fma(FloatVector.fromArray(S, bt, p * MicroKernel.COLS), c0);
            }
            c0.intoArray(tile, 0);
            finishRows(op, tile, i, 1);
        }
    }

    /** Rows [first, first + rows) of C = α·sums + β·C (β = 0 never reads C), then the epilogue. */
    private static void finishRows(GemmOperands op, float[] tile, int first, int rows) {
        float[] c = op.c();
        int n = op.n();
        VectorMask<Float> columns = S.indexInRange(0, n);
        for (int r = 0; r < rows; r++) {
            int at = (first + r) * op.ldc();
            FloatVector result = FloatVector.fromArray(S, tile, r * LANES).mul(op.alpha());
            if (op.beta() != 0f) {
                result = FloatVector.fromArray(S, c, at, columns).mul(op.beta()).add(result);
            }
            result.intoArray(c, at, columns);
            op.epilogue().apply(c, at, first + r, 0, n);
        }
    }
}
