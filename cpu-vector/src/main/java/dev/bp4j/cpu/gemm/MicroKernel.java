package dev.bp4j.cpu.gemm;

import dev.bp4j.cpu.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked heart of the GEMM: a (ROWS × COLS) tile of C held in ROWS·VECTORS = 20
 * vector accumulators while it walks a packed A micro-panel and a packed B micro-panel. Per
 * step of k it loads VECTORS vectors of B, broadcasts ROWS elements of A and issues 20 FMAs:
 * far more independent chains than FMA latency × ports needs, and 20 accumulators, 2 B
 * vectors and a broadcast fit AVX-512's 32 registers without spills. Of the shapes tried in
 * isolation (docs/performance.md) it is the fastest: C2 schedules wider B loads and more
 * broadcasts less well. On AVX2's 16 registers C2 spills some
 * accumulators, which costs speed, not correctness.
 *
 * <p>The accumulators are separate locals, not an array, so C2 keeps them in registers; the
 * code is written out rather than looped for the same reason, and the loop is left to C2's
 * default unrolling (forcing more unrolling spilled and halved the speed).
 *
 * <p>Layouts (see {@link PanelPacking}): A micro-panel element (i, p) at {@code aAt + p·ROWS + i},
 * B micro-panel element (p, j) at {@code bAt + p·COLS + j}.
 */
final class MicroKernel {

    static final int ROWS = 10;
    static final int VECTORS = 2;
    static final int COLS = VECTORS * VectorWidth.LANES;

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int LANES = VectorWidth.LANES;

    private MicroKernel() {
    }

    /**
     * C tile = A panel · B panel over {@code depth} steps of k, the tile's top-left element at
     * {@code c[cAt]} with row stride {@code ldc}. C is only written, never read, so NaNs in it do
     * not propagate; the caller folds α into the packed A panel, and adds onto C itself for
     * later blocks of k (see {@link Gemm}).
     *
     * <p>Everything is written out in this one method, with no helper taking or returning a
     * vector: the method is large enough that C2 hits its node-count inlining cutoff part way
     * through it, and every vector passed to a helper that was not inlined is boxed on the
     * heap. A store helper with α and β did exactly that: most of its calls stayed out of line
     * and every tile allocated. The accumulators start from zeros rather than a masked load of C:
     * those loads were more than half of the code C2 compiled, and the compile time with it.
     */
    static void multiply(int depth, float[] a, int aAt, float[] b, int bAt, float[] c, int cAt, int ldc) {
        int row0 = cAt;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        int row1 = cAt + ldc;
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        int row2 = cAt + 2 * ldc;
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        int row3 = cAt + 3 * ldc;
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        int row4 = cAt + 4 * ldc;
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        int row5 = cAt + 5 * ldc;
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        int row6 = cAt + 6 * ldc;
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        int row7 = cAt + 7 * ldc;
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c71 = FloatVector.zero(S);
        int row8 = cAt + 8 * ldc;
        FloatVector c80 = FloatVector.zero(S);
        FloatVector c81 = FloatVector.zero(S);
        int row9 = cAt + 9 * ldc;
        FloatVector c90 = FloatVector.zero(S);
        FloatVector c91 = FloatVector.zero(S);
        for (int p = 0; p < depth; p++) {
            int bp = bAt + p * COLS;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + LANES);
            int ap = aAt + p * ROWS;
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ap + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ap + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[ap + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ap + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(S, a[ap + 8]);
            c80 = a8.fma(b0, c80);
            c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(S, a[ap + 9]);
            c90 = a9.fma(b0, c90);
            c91 = a9.fma(b1, c91);
        }
        c00.intoArray(c, row0);
        c01.intoArray(c, row0 + LANES);
        c10.intoArray(c, row1);
        c11.intoArray(c, row1 + LANES);
        c20.intoArray(c, row2);
        c21.intoArray(c, row2 + LANES);
        c30.intoArray(c, row3);
        c31.intoArray(c, row3 + LANES);
        c40.intoArray(c, row4);
        c41.intoArray(c, row4 + LANES);
        c50.intoArray(c, row5);
        c51.intoArray(c, row5 + LANES);
        c60.intoArray(c, row6);
        c61.intoArray(c, row6 + LANES);
        c70.intoArray(c, row7);
        c71.intoArray(c, row7 + LANES);
        c80.intoArray(c, row8);
        c81.intoArray(c, row8 + LANES);
        c90.intoArray(c, row9);
        c91.intoArray(c, row9 + LANES);
    }
}
