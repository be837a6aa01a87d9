package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^x on float vectors by range reduction and a polynomial, because the Vector API's lanewise
 * EXP calls a library routine that is several times slower on some JDKs and platforms.
 *
 * <p>x = n·ln2 + r with n = round(x / ln2) and |r| ≤ ln2/2; e^r is the degree-7 Taylor-like
 * minimax polynomial of Cephes' expf (relative error below 2 ulp on that interval), and 2ⁿ is
 * built from its exponent bits. Inputs are clamped to [−87.3, 88.3] so 2ⁿ stays a normal,
 * finite float: below that range the result is about 1e−38 instead of a smaller subnormal or
 * 0, above it about 2.4e38 instead of infinity, both far inside the contract's absolute
 * tolerance for the functions built on it (sigmoid, tanh, softmax). NaN stays NaN.
 *
 * <p>Constants are broadcast with the Vector API's own (force-inlined) calls rather than a
 * helper of ours, which C2 may refuse to inline in a large caller and then box every vector.
 */
final class VectorExp {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    private static final float LOWEST = -87.33654f;
    private static final float HIGHEST = 88.37626f;
    private static final float LOG2_E = 1.44269504088896341f;
    /** ln 2 split in two so that n·ln2 is subtracted without rounding error for |n| ≤ 128. */
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    /** 1.5·2²³: adding it rounds a float below 2²² to an integer held in the low mantissa bits. */
    private static final float ROUNDING_BIAS = 12582912f;
    private static final int ROUNDING_BIAS_BITS = 0x4B400000;

    private VectorExp() {
    }

    static FloatVector exp(FloatVector x) {
        // Compare and blend rather than max/min, as in ActivationKernels.sigmoid: far fewer instructions.
        FloatVector low = x.blend(LOWEST, x.compare(VectorOperators.LT, LOWEST));
        FloatVector clamped = low.blend(HIGHEST, low.compare(VectorOperators.GT, HIGHEST));
        FloatVector shifted = clamped.fma(LOG2_E, ROUNDING_BIAS);
        FloatVector n = shifted.sub(ROUNDING_BIAS);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HIGH), clamped);
        r = n.fma(FloatVector.broadcast(S, -LN2_LOW), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
        FloatVector expR = p.fma(r.mul(r), r).add(1f);
        IntVector exponent = ((IntVector) shifted.reinterpretAsInts())
                .sub(ROUNDING_BIAS_BITS - 127)
                .lanewise(VectorOperators.LSHL, 23);
        return expR.mul((FloatVector) exponent.reinterpretAsFloats());
    }

}
