package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The gradient-clipping family (kernels/clipping.cl): {@code sum_of_squares} over chunks of
 * {@value #CHUNK} elements, each accumulated in four float vectors, added lane by lane, then
 * across lanes in lane order in double (never {@code reduceLanes(ADD)}, whose order is
 * unspecified: see LossKernels); the chunks' sums are added in chunk order, so the sum has the
 * same bits whatever the thread that took each chunk; and {@code clip_to_norm}, the factor
 * min(1, maxNorm / (norm + 10⁻⁶)) computed here from the squared norm and applied in one pass.
 */
final class ClippingKernels {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    private ClippingKernels() {
    }

    /** Elements per partial sum. */
    static final int CHUNK = 1 << 14;

    /** Σ x² over [from, to), in a fixed order; {@code scratch} holds one vector. */
    static double sumOfSquares(float[] x, int from, int to, float[] scratch) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int step = 4 * S.length();
        int i = from;
        for (int bound = to - step + 1; i < bound; i += step) {
            FloatVector v0 = FloatVector.fromArray(S, x, i);
            FloatVector v1 = FloatVector.fromArray(S, x, i + S.length());
            FloatVector v2 = FloatVector.fromArray(S, x, i + 2 * S.length());
            FloatVector v3 = FloatVector.fromArray(S, x, i + 3 * S.length());
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (; i < to; i += S.length()) {
            VectorMask<Float> lanes = S.indexInRange(i, to);
            FloatVector v = FloatVector.fromArray(S, x, i, lanes);
            s0 = v.fma(v, s0);
        }
        s0.add(s1).add(s2.add(s3)).intoArray(scratch, 0);
        double sum = 0;
        for (int lane = 0; lane < S.length(); lane++) {
            sum += scratch[lane];
        }
        return sum;
    }

    /** The factor PyTorch's clip_grad_norm_ applies, from the squared global norm. */
    static float clipFactor(float squaredNorm, float maxNorm) {
        return (float) Math.min(1.0, maxNorm / (Math.sqrt(squaredNorm) + 1e-6));
    }

    /** m[i] *= factor for i in [from, to). */
    static void scale(float[] m, float factor, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector.fromArray(S, m, i).mul(factor).intoArray(m, i);
        }
        if (i < to) {
            VectorMask<Float> tail = S.indexInRange(i, to);
            FloatVector.fromArray(S, m, i, tail).mul(factor).intoArray(m, i, tail);
        }
    }
}
