package dev.bp4j.reference;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.api.Matrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The oracle's activations and their derivatives against formulas written here, independently
 * of {@link Activation#apply} and {@link Activation#derivative} (which the contract suite's
 * expectations call, so it cannot see a mistake in them): sigmoid as ½(1 + tanh(z/2)), tanh as
 * sinh/cosh, relu as max(0, z); each derivative as the central difference of that formula.
 */
class ReferenceActivationsTest {

    private static final float[] Z = {-30f, -6f, -2.5f, -1f, -0.3f, -1e-3f, 0.2f, 0.7f, 1f, 2f, 4.5f, 9f, 30f};

    private static DoubleUnaryOperator formula(Activation f) {
        return switch (f) {
            case IDENTITY -> z -> z;
            case SIGMOID -> z -> 0.5 * (1 + Math.tanh(z / 2));
            case TANH -> z -> Math.abs(z) > 20 ? Math.signum(z) : Math.sinh(z) / Math.cosh(z);
            case RELU -> z -> Math.max(0, z);
        };
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activateAndActivationBackwardMatchIndependentFormulas(Activation f) {
        DoubleUnaryOperator g = formula(f);
        try (Backend backend = Backends.open("reference");
             Matrix z = backend.allocate(1, Z.length);
             Matrix a = backend.allocate(1, Z.length);
             Matrix ones = backend.allocate(1, Z.length);
             Matrix slope = backend.allocate(1, Z.length)) {
            backend.upload(Z, z);
            backend.activate(f, z, a);
            float[] outputs = new float[Z.length];
            backend.download(a, outputs);
            float[] unit = new float[Z.length];
            java.util.Arrays.fill(unit, 1f);
            backend.upload(unit, ones);
            backend.activationBackward(f, a, ones, slope);
            float[] derivatives = new float[Z.length];
            backend.download(slope, derivatives);
            for (int i = 0; i < Z.length; i++) {
                double zi = Z[i];
                assertEquals(g.applyAsDouble(zi), outputs[i], 1e-6 * (1 + Math.abs(zi)), f + "(" + zi + ")");
                double h = 1e-5;
                double expected = (g.applyAsDouble(zi + h) - g.applyAsDouble(zi - h)) / (2 * h);
                assertEquals(expected, derivatives[i], 2e-5, f + "'(" + zi + ")");
            }
        }
    }
}
