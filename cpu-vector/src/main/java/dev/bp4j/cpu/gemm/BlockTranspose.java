package dev.bp4j.cpu.gemm;

import dev.bp4j.cpu.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposes a square block of LANES × LANES floats in registers, for {@link PanelPacking}'s
 * transposed-B pack (the forward product's Wᵀ). Element by element that pack costs a sixth of
 * the forward product on one thread; in register blocks about a third of that.
 *
 * <p>The untransposed-A pack is also a transpose (ROWS stored rows into one panel) but gains
 * nothing from this: its scalar stores fall ten floats apart, within a few lines, and 16-lane
 * blocks with a 10-lane store mask are no faster.
 *
 * <p>The block is transposed in log₂(LANES) rounds; each round pairs rows h apart and
 * interleaves blocks of h lanes, with one two-source permute per output row. The permutes run
 * on the integer view of the vectors: {@code IntVector.selectFrom(v1, v2)} compiles to a single
 * {@code vpermi2d}, whereas the float form converts its float indices on every call.
 * Written out for 16 and 8 lanes: a loop over an array of vectors boxes every vector, so each
 * width is its own straight-line method. Other widths
 * report {@link #SUPPORTED} false and the packs keep their scalar loops.
 */
final class BlockTranspose {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final VectorSpecies<Integer> I = VectorWidth.INTS;
    private static final int LANES = VectorWidth.LANES;

    static final boolean SUPPORTED = LANES == 16 || LANES == 8;

    /** Per round (h = LANES/2, …, 1): the permutes that give the low and the high row of a pair. */
    private static final IntVector[] LOW = new IntVector[4];
    private static final IntVector[] HIGH = new IntVector[4];

    static {
        int round = 0;
        for (int h = LANES / 2; h >= 1; h /= 2, round++) {
            int[] low = new int[LANES];
            int[] high = new int[LANES];
            for (int lane = 0; lane < LANES; lane++) {
                // Within each group of 2h lanes the first h come from the first row, the rest
                // from the second (index + LANES): the low row takes each group's first half of
                // both rows, the high row the second half.
                int group = lane / (2 * h) * 2 * h;
                int within = lane % (2 * h);
                low[lane] = within < h ? group + within : LANES + group + within - h;
                high[lane] = within < h ? group + h + within : LANES + group + within;
            }
            LOW[round] = IntVector.fromArray(I, low, 0);
            HIGH[round] = IntVector.fromArray(I, high, 0);
        }
    }

    private BlockTranspose() {
    }

    /**
     * Copies src[from + r·stride + c] to dst[to + c·dstStride + r] for r, c in [0, LANES).
     * Requires {@link #SUPPORTED}. Every vector stays inside one method: a helper returning a
     * vector that C2 did not inline boxed it, and the pack ran 4× slower than element by element.
     */
    static void transpose(float[] src, int from, int stride, float[] dst, int to, int dstStride) {
        if (LANES == 16) {
            transpose16(src, from, stride, dst, to, dstStride);
        } else {
            transpose8(src, from, stride, dst, to, dstStride);
        }
    }

    private static void transpose16(float[] src, int from, int stride, float[] dst, int to, int dstStride) {
        IntVector r0 = FloatVector.fromArray(S, src, from).reinterpretAsInts();
        IntVector r1 = FloatVector.fromArray(S, src, from + stride).reinterpretAsInts();
        IntVector r2 = FloatVector.fromArray(S, src, from + 2 * stride).reinterpretAsInts();
        IntVector r3 = FloatVector.fromArray(S, src, from + 3 * stride).reinterpretAsInts();
        IntVector r4 = FloatVector.fromArray(S, src, from + 4 * stride).reinterpretAsInts();
        IntVector r5 = FloatVector.fromArray(S, src, from + 5 * stride).reinterpretAsInts();
        IntVector r6 = FloatVector.fromArray(S, src, from + 6 * stride).reinterpretAsInts();
        IntVector r7 = FloatVector.fromArray(S, src, from + 7 * stride).reinterpretAsInts();
        IntVector r8 = FloatVector.fromArray(S, src, from + 8 * stride).reinterpretAsInts();
        IntVector r9 = FloatVector.fromArray(S, src, from + 9 * stride).reinterpretAsInts();
        IntVector r10 = FloatVector.fromArray(S, src, from + 10 * stride).reinterpretAsInts();
        IntVector r11 = FloatVector.fromArray(S, src, from + 11 * stride).reinterpretAsInts();
        IntVector r12 = FloatVector.fromArray(S, src, from + 12 * stride).reinterpretAsInts();
        IntVector r13 = FloatVector.fromArray(S, src, from + 13 * stride).reinterpretAsInts();
        IntVector r14 = FloatVector.fromArray(S, src, from + 14 * stride).reinterpretAsInts();
        IntVector r15 = FloatVector.fromArray(S, src, from + 15 * stride).reinterpretAsInts();
        IntVector lo = LOW[0];
        IntVector hi = HIGH[0];
        IntVector s0 = lo.selectFrom(r0, r8);
        IntVector s8 = hi.selectFrom(r0, r8);
        IntVector s1 = lo.selectFrom(r1, r9);
        IntVector s9 = hi.selectFrom(r1, r9);
        IntVector s2 = lo.selectFrom(r2, r10);
        IntVector s10 = hi.selectFrom(r2, r10);
        IntVector s3 = lo.selectFrom(r3, r11);
        IntVector s11 = hi.selectFrom(r3, r11);
        IntVector s4 = lo.selectFrom(r4, r12);
        IntVector s12 = hi.selectFrom(r4, r12);
        IntVector s5 = lo.selectFrom(r5, r13);
        IntVector s13 = hi.selectFrom(r5, r13);
        IntVector s6 = lo.selectFrom(r6, r14);
        IntVector s14 = hi.selectFrom(r6, r14);
        IntVector s7 = lo.selectFrom(r7, r15);
        IntVector s15 = hi.selectFrom(r7, r15);
        lo = LOW[1];
        hi = HIGH[1];
        IntVector t0 = lo.selectFrom(s0, s4);
        IntVector t4 = hi.selectFrom(s0, s4);
        IntVector t1 = lo.selectFrom(s1, s5);
        IntVector t5 = hi.selectFrom(s1, s5);
        IntVector t2 = lo.selectFrom(s2, s6);
        IntVector t6 = hi.selectFrom(s2, s6);
        IntVector t3 = lo.selectFrom(s3, s7);
        IntVector t7 = hi.selectFrom(s3, s7);
        IntVector t8 = lo.selectFrom(s8, s12);
        IntVector t12 = hi.selectFrom(s8, s12);
        IntVector t9 = lo.selectFrom(s9, s13);
        IntVector t13 = hi.selectFrom(s9, s13);
        IntVector t10 = lo.selectFrom(s10, s14);
        IntVector t14 = hi.selectFrom(s10, s14);
        IntVector t11 = lo.selectFrom(s11, s15);
        IntVector t15 = hi.selectFrom(s11, s15);
        lo = LOW[2];
        hi = HIGH[2];
        IntVector u0 = lo.selectFrom(t0, t2);
        IntVector u2 = hi.selectFrom(t0, t2);
        IntVector u1 = lo.selectFrom(t1, t3);
        IntVector u3 = hi.selectFrom(t1, t3);
        IntVector u4 = lo.selectFrom(t4, t6);
        IntVector u6 = hi.selectFrom(t4, t6);
        IntVector u5 = lo.selectFrom(t5, t7);
        IntVector u7 = hi.selectFrom(t5, t7);
        IntVector u8 = lo.selectFrom(t8, t10);
        IntVector u10 = hi.selectFrom(t8, t10);
        IntVector u9 = lo.selectFrom(t9, t11);
        IntVector u11 = hi.selectFrom(t9, t11);
        IntVector u12 = lo.selectFrom(t12, t14);
        IntVector u14 = hi.selectFrom(t12, t14);
        IntVector u13 = lo.selectFrom(t13, t15);
        IntVector u15 = hi.selectFrom(t13, t15);
        lo = LOW[3];
        hi = HIGH[3];
        lo.selectFrom(u0, u1).reinterpretAsFloats().intoArray(dst, to);
        hi.selectFrom(u0, u1).reinterpretAsFloats().intoArray(dst, to + dstStride);
        lo.selectFrom(u2, u3).reinterpretAsFloats().intoArray(dst, to + 2 * dstStride);
        hi.selectFrom(u2, u3).reinterpretAsFloats().intoArray(dst, to + 3 * dstStride);
        lo.selectFrom(u4, u5).reinterpretAsFloats().intoArray(dst, to + 4 * dstStride);
        hi.selectFrom(u4, u5).reinterpretAsFloats().intoArray(dst, to + 5 * dstStride);
        lo.selectFrom(u6, u7).reinterpretAsFloats().intoArray(dst, to + 6 * dstStride);
        hi.selectFrom(u6, u7).reinterpretAsFloats().intoArray(dst, to + 7 * dstStride);
        lo.selectFrom(u8, u9).reinterpretAsFloats().intoArray(dst, to + 8 * dstStride);
        hi.selectFrom(u8, u9).reinterpretAsFloats().intoArray(dst, to + 9 * dstStride);
        lo.selectFrom(u10, u11).reinterpretAsFloats().intoArray(dst, to + 10 * dstStride);
        hi.selectFrom(u10, u11).reinterpretAsFloats().intoArray(dst, to + 11 * dstStride);
        lo.selectFrom(u12, u13).reinterpretAsFloats().intoArray(dst, to + 12 * dstStride);
        hi.selectFrom(u12, u13).reinterpretAsFloats().intoArray(dst, to + 13 * dstStride);
        lo.selectFrom(u14, u15).reinterpretAsFloats().intoArray(dst, to + 14 * dstStride);
        hi.selectFrom(u14, u15).reinterpretAsFloats().intoArray(dst, to + 15 * dstStride);
    }

    private static void transpose8(float[] src, int from, int stride, float[] dst, int to, int dstStride) {
        IntVector r0 = FloatVector.fromArray(S, src, from).reinterpretAsInts();
        IntVector r1 = FloatVector.fromArray(S, src, from + stride).reinterpretAsInts();
        IntVector r2 = FloatVector.fromArray(S, src, from + 2 * stride).reinterpretAsInts();
        IntVector r3 = FloatVector.fromArray(S, src, from + 3 * stride).reinterpretAsInts();
        IntVector r4 = FloatVector.fromArray(S, src, from + 4 * stride).reinterpretAsInts();
        IntVector r5 = FloatVector.fromArray(S, src, from + 5 * stride).reinterpretAsInts();
        IntVector r6 = FloatVector.fromArray(S, src, from + 6 * stride).reinterpretAsInts();
        IntVector r7 = FloatVector.fromArray(S, src, from + 7 * stride).reinterpretAsInts();
        IntVector lo = LOW[0];
        IntVector hi = HIGH[0];
        IntVector s0 = lo.selectFrom(r0, r4);
        IntVector s4 = hi.selectFrom(r0, r4);
        IntVector s1 = lo.selectFrom(r1, r5);
        IntVector s5 = hi.selectFrom(r1, r5);
        IntVector s2 = lo.selectFrom(r2, r6);
        IntVector s6 = hi.selectFrom(r2, r6);
        IntVector s3 = lo.selectFrom(r3, r7);
        IntVector s7 = hi.selectFrom(r3, r7);
        lo = LOW[1];
        hi = HIGH[1];
        IntVector t0 = lo.selectFrom(s0, s2);
        IntVector t2 = hi.selectFrom(s0, s2);
        IntVector t1 = lo.selectFrom(s1, s3);
        IntVector t3 = hi.selectFrom(s1, s3);
        IntVector t4 = lo.selectFrom(s4, s6);
        IntVector t6 = hi.selectFrom(s4, s6);
        IntVector t5 = lo.selectFrom(s5, s7);
        IntVector t7 = hi.selectFrom(s5, s7);
        lo = LOW[2];
        hi = HIGH[2];
        lo.selectFrom(t0, t1).reinterpretAsFloats().intoArray(dst, to);
        hi.selectFrom(t0, t1).reinterpretAsFloats().intoArray(dst, to + dstStride);
        lo.selectFrom(t2, t3).reinterpretAsFloats().intoArray(dst, to + 2 * dstStride);
        hi.selectFrom(t2, t3).reinterpretAsFloats().intoArray(dst, to + 3 * dstStride);
        lo.selectFrom(t4, t5).reinterpretAsFloats().intoArray(dst, to + 4 * dstStride);
        hi.selectFrom(t4, t5).reinterpretAsFloats().intoArray(dst, to + 5 * dstStride);
        lo.selectFrom(t6, t7).reinterpretAsFloats().intoArray(dst, to + 6 * dstStride);
        hi.selectFrom(t6, t7).reinterpretAsFloats().intoArray(dst, to + 7 * dstStride);
    }
}
