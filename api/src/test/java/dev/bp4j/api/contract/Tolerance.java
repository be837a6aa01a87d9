package dev.bp4j.api.contract;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tolerances of the contract suite, stated once. A float32 result is accepted when
 * |actual − expected| ≤ absolute + relative·scale, where expected is computed in double and
 * scale bounds the size of the terms that produced it.
 *
 * <ul>
 *   <li>Sums of k products (gemm, dense layers, column sums): the classic bound for float32
 *       summation in any order, relative (k + 4)·ε with ε = 2⁻²³, applied to Σ|terms| rather
 *       than to |result|, so cancellation is allowed for but a wrong element is not.</li>
 *   <li>Elementwise and transcendental functions: 1e-6 absolute + 1e-5 relative, room for
 *       a few ulps and for fast hardware exp/log on GPUs.</li>
 * </ul>
 */
public final class Tolerance {
    public static final double FLOAT_EPSILON = Math.ulp(1.0f);
    public static final double ELEMENTWISE_ABSOLUTE = 1e-6;
    public static final double ELEMENTWISE_RELATIVE = 1e-5;

    private Tolerance() {
    }

    /** The allowed error of a sum of k terms whose absolute values add up to magnitude. */
    public static double ofSum(int k, double magnitude) {
        return (k + 4) * FLOAT_EPSILON * magnitude + Float.MIN_NORMAL;
    }

    public static double elementwise(double expected) {
        return ELEMENTWISE_ABSOLUTE + ELEMENTWISE_RELATIVE * Math.abs(expected);
    }

    /** Fails naming the first element outside its tolerance. */
    public static void assertWithin(String what, int cols, double[] expected, double[] allowed, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(actual[i] - expected[i]);
            if (!(error <= allowed[i])) {
                fail(what + ": element (" + i / cols + ", " + i % cols + ") is " + actual[i] + ", expected "
                        + expected[i] + " ± " + allowed[i]);
            }
        }
    }

    /** Elementwise tolerance for every element. */
    public static void assertElementwise(String what, int cols, double[] expected, float[] actual) {
        double[] allowed = new double[expected.length];
        for (int i = 0; i < expected.length; i++) {
            allowed[i] = elementwise(expected[i]);
        }
        assertWithin(what, cols, expected, allowed, actual);
    }
}
