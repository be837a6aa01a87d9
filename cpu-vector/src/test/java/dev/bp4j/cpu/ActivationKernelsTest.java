package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import dev.bp4j.api.contract.Tolerance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every vector activation and derivative against the double-precision specification in
 * {@link Activation}, on a dense grid wider than the contract suite's random inputs, with the
 * contract's elementwise tolerance.
 */
class ActivationKernelsTest {

    @ParameterizedTest
    @EnumSource(Activation.class)
    void functionAndDerivativeMatchTheSpecification(Activation f) {
        int count = 200_003;
        float[] z = new float[count];
        for (int i = 0; i < count; i++) {
            z[i] = -30f + 60f * i / count;
        }
        float[] a = new float[count];
        ActivationKernels.activationForward(f, z, a, 0, count);
        float[] ones = new float[count];
        Arrays.fill(ones, 1f);
        float[] derivative = new float[count];
        ActivationKernels.activationBackward(f, a, 0, ones, 0, derivative, 0, count);
        for (int i = 0; i < count; i++) {
            check(f + "(" + z[i] + ")", f.apply(z[i]), a[i]);
            check(f + "′ from a = " + a[i], f.derivative(a[i]), derivative[i]);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void extremesStayInRangeAndNaNStaysNaN(Activation f) {
        float[] z = {Float.NEGATIVE_INFINITY, -1e30f, -100f, -88.5f, 88.5f, 100f, 1e30f, Float.POSITIVE_INFINITY, Float.NaN,
                -0f, 0f, Float.MIN_VALUE};
        // Past the clamps and the vector tail: padded to two full vectors plus a remainder.
        float[] padded = Arrays.copyOf(z, 2 * VectorWidth.LANES + z.length);
        float[] a = new float[padded.length];
        ActivationKernels.activationForward(f, padded, a, 0, padded.length);
        for (int i = 0; i < z.length; i++) {
            double expected = f.apply(z[i]);
            if (Double.isNaN(expected)) {
                if (!Float.isNaN(a[i])) {
                    fail(f + "(" + z[i] + ") = " + a[i] + ", expected NaN");
                }
            } else if (Double.isInfinite(expected)) {
                if (a[i] != expected) {
                    fail(f + "(" + z[i] + ") = " + a[i] + ", expected " + expected);
                }
            } else {
                check(f + "(" + z[i] + ")", expected, a[i]);
            }
        }
    }

    private static void check(String what, double expected, float actual) {
        if (!(Math.abs(actual - expected) <= Tolerance.elementwise(expected))) {
            fail(what + " = " + actual + ", expected " + expected);
        }
    }
}
