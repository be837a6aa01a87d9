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
class ActivationMathTest {

    @ParameterizedTest
    @EnumSource(Activation.class)
    void functionAndDerivativeMatchTheSpecification(Activation f) {
        int count = 200_003;
        float[] z = new float[count];
        for (int i = 0; i < count; i++) {
            z[i] = -30f + 60f * i / count;
        }
        float[] a = new float[count];
        ActivationMath.apply(f, z, a, 0, count);
        float[] ones = new float[count];
        Arrays.fill(ones, 1f);
        float[] derivative = new float[count];
        ActivationMath.multiplyByDerivative(f, a, 0, ones, 0, derivative, 0, count);
        for (int i = 0; i < count; i++) {
            check(f + "(" + z[i] + ")", f.apply(z[i]), a[i]);
            check(f + "′ from a = " + a[i], f.derivativeFromOutput(a[i]), derivative[i]);
        }
    }

    private static void check(String what, double expected, float actual) {
        if (!(Math.abs(actual - expected) <= Tolerance.elementwise(expected))) {
            fail(what + " = " + actual + ", expected " + expected);
        }
    }
}
