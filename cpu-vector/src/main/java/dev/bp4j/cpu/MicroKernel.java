package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked heart of the GEMM: a (ROWS × COLS) tile of C held in ROWS·VECTORS = 20
 * vector accumulators while it walks a packed A micro-panel and a packed B micro-panel. Per
 * step of k it loads VECTORS vectors of B, broadcasts ROWS elements of A and issues 20 FMAs:
 * far more independent chains than FMA latency × ports needs, and 20 accumulators, 2 B
 * vectors and a broadcast fit AVX-512's 32 registers without spills. The shape was measured:
 * on a Zen 5 core in isolation (L1/L2-resident panels, depth 256) 10 × 2 vectors ran at about
 * 200 GFLOP/s, 12 × 2 at 190, 16 × 1 at 183, 6 × 4 at 157 and 8 × 3 at 148, where C2 schedules
 * the wider B loads and broadcasts less well. On AVX2's 16 registers C2 spills some
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
     * C tile = α·(A panel · B panel) + β·C tile over {@code depth} steps of k, the tile's
     * top-left element at {@code c[cAt]} with row stride {@code ldc}. With β = 0, C is not read.
     */
    static void multiply(int depth, float[] a, int aAt, float[] b, int bAt,
                         float alpha, float beta, float[] c, int cAt, int ldc) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero;
        FloatVector c10 = zero, c11 = zero;
        FloatVector c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero;
        FloatVector c50 = zero, c51 = zero;
        FloatVector c60 = zero, c61 = zero;
        FloatVector c70 = zero, c71 = zero;
        FloatVector c80 = zero, c81 = zero;
        FloatVector c90 = zero, c91 = zero;
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
        int row0 = cAt;
        store(c00, alpha, beta, c, row0);
        store(c01, alpha, beta, c, row0 + LANES);
        int row1 = cAt + ldc;
        store(c10, alpha, beta, c, row1);
        store(c11, alpha, beta, c, row1 + LANES);
        int row2 = cAt + 2 * ldc;
        store(c20, alpha, beta, c, row2);
        store(c21, alpha, beta, c, row2 + LANES);
        int row3 = cAt + 3 * ldc;
        store(c30, alpha, beta, c, row3);
        store(c31, alpha, beta, c, row3 + LANES);
        int row4 = cAt + 4 * ldc;
        store(c40, alpha, beta, c, row4);
        store(c41, alpha, beta, c, row4 + LANES);
        int row5 = cAt + 5 * ldc;
        store(c50, alpha, beta, c, row5);
        store(c51, alpha, beta, c, row5 + LANES);
        int row6 = cAt + 6 * ldc;
        store(c60, alpha, beta, c, row6);
        store(c61, alpha, beta, c, row6 + LANES);
        int row7 = cAt + 7 * ldc;
        store(c70, alpha, beta, c, row7);
        store(c71, alpha, beta, c, row7 + LANES);
        int row8 = cAt + 8 * ldc;
        store(c80, alpha, beta, c, row8);
        store(c81, alpha, beta, c, row8 + LANES);
        int row9 = cAt + 9 * ldc;
        store(c90, alpha, beta, c, row9);
        store(c91, alpha, beta, c, row9 + LANES);
    }

    /**
     * Branch-free on purpose: an {@code if (β ≠ 0)} here is never taken until the second block
     * of k, and the deoptimisation C2 then takes has been seen to leave the recompiled kernel
     * several times slower for the rest of the run. C is loaded either way (it is in bounds);
     * the masked add keeps its NaNs out when β = 0.
     */
    private static void store(FloatVector sum, float alpha, float beta, float[] c, int at) {
        FloatVector betas = FloatVector.broadcast(S, beta);
        VectorMask<Float> readsC = betas.compare(VectorOperators.NE, 0f);
        sum.mul(alpha).add(FloatVector.fromArray(S, c, at).mul(betas), readsC).intoArray(c, at);
    }
}
