package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked heart of the GEMM: a (ROWS × COLS) tile of C held in ROWS·VECTORS = 24
 * vector accumulators while it walks a packed A micro-panel and a packed B micro-panel. Per
 * step of k it loads VECTORS vectors of B, broadcasts ROWS elements of A and issues 24 FMAs:
 * enough independent FMAs to hide their latency on both FMA ports, with loads well under the
 * load ports' limit. 24 accumulators, 4 B vectors and a broadcast fit the 32 vector registers
 * of AVX-512; on AVX2's 16 C2 spills some, which costs speed, not correctness.
 *
 * <p>The accumulators are separate locals, not an array, so C2 keeps them in registers; the
 * code is written out rather than looped for the same reason.
 *
 * <p>Layouts (see {@link PanelPacking}): A micro-panel element (i, p) at {@code aAt + p·ROWS + i},
 * B micro-panel element (p, j) at {@code bAt + p·COLS + j}.
 */
final class MicroKernel {

    static final int ROWS = 6;
    static final int VECTORS = 4;
    static final int COLS = VECTORS * VectorWidth.LANES;

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int LANES = VectorWidth.LANES;

    private MicroKernel() {
    }

    /**
     * C tile = α·(A panel · B panel) + β·C tile over {@code depth} steps of k, the tile's
     * top-left element at {@code c[cAt]} with row stride {@code ldc}. With β = 0, C is not read.
     */
    static void multiply(int depth, float[] a, int aAt, float[] b, int bAt,
                         float alpha, float beta, float[] c, int cAt, int ldc) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
        FloatVector c10 = zero, c11 = zero, c12 = zero, c13 = zero;
        FloatVector c20 = zero, c21 = zero, c22 = zero, c23 = zero;
        FloatVector c30 = zero, c31 = zero, c32 = zero, c33 = zero;
        FloatVector c40 = zero, c41 = zero, c42 = zero, c43 = zero;
        FloatVector c50 = zero, c51 = zero, c52 = zero, c53 = zero;
        for (int p = 0; p < depth; p++) {
            int bp = bAt + p * COLS;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + LANES);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * LANES);
            int ap = aAt + p * ROWS;
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
            FloatVector a4 = FloatVector.broadcast(S, a[ap + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            c43 = a4.fma(b3, c43);
            FloatVector a5 = FloatVector.broadcast(S, a[ap + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            c53 = a5.fma(b3, c53);
        }
        int row0 = cAt;
        store(c00, alpha, beta, c, row0);
        store(c01, alpha, beta, c, row0 + LANES);
        store(c02, alpha, beta, c, row0 + 2 * LANES);
        store(c03, alpha, beta, c, row0 + 3 * LANES);
        int row1 = cAt + ldc;
        store(c10, alpha, beta, c, row1);
        store(c11, alpha, beta, c, row1 + LANES);
        store(c12, alpha, beta, c, row1 + 2 * LANES);
        store(c13, alpha, beta, c, row1 + 3 * LANES);
        int row2 = cAt + 2 * ldc;
        store(c20, alpha, beta, c, row2);
        store(c21, alpha, beta, c, row2 + LANES);
        store(c22, alpha, beta, c, row2 + 2 * LANES);
        store(c23, alpha, beta, c, row2 + 3 * LANES);
        int row3 = cAt + 3 * ldc;
        store(c30, alpha, beta, c, row3);
        store(c31, alpha, beta, c, row3 + LANES);
        store(c32, alpha, beta, c, row3 + 2 * LANES);
        store(c33, alpha, beta, c, row3 + 3 * LANES);
        int row4 = cAt + 4 * ldc;
        store(c40, alpha, beta, c, row4);
        store(c41, alpha, beta, c, row4 + LANES);
        store(c42, alpha, beta, c, row4 + 2 * LANES);
        store(c43, alpha, beta, c, row4 + 3 * LANES);
        int row5 = cAt + 5 * ldc;
        store(c50, alpha, beta, c, row5);
        store(c51, alpha, beta, c, row5 + LANES);
        store(c52, alpha, beta, c, row5 + 2 * LANES);
        store(c53, alpha, beta, c, row5 + 3 * LANES);
    }

    private static void store(FloatVector sum, float alpha, float beta, float[] c, int at) {
        FloatVector scaled = sum.mul(alpha);
        if (beta != 0f) {
            scaled = FloatVector.fromArray(S, c, at).fma(FloatVector.broadcast(S, beta), scaled);
        }
        scaled.intoArray(c, at);
    }
}
