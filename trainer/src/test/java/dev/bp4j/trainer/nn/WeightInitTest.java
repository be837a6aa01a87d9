package dev.bp4j.trainer.nn;

import dev.bp4j.api.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The initial parameters each scheme draws: weights uniform within the scheme's bound (range and
 * variance bound²/3 checked on 200,000 draws), biases zero except under fan-in, and the automatic
 * scheme the same draws as before the choice existed (He for ReLU layers, Glorot otherwise).
 */
class WeightInitTest {

    private static final NetworkSpec RELU = NetworkSpec.of(new int[]{400, 500, 10}, Activation.RELU, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
    private static final NetworkSpec TANH = NetworkSpec.of(new int[]{400, 500, 10}, Activation.TANH, LossFunction.SOFTMAX_CROSS_ENTROPY, true);

    @ParameterizedTest
    @EnumSource(WeightInit.class)
    void weightsFillTheSchemesBoundUniformly(WeightInit init) {
        for (NetworkSpec spec : new NetworkSpec[]{RELU, TANH}) {
            NetworkParameters p = NetworkParameters.initialise(spec, init, new SplittableRandom(7));
            double bound = init.weightBound(spec.activationOf(0), 400, 500);
            float[] w = p.weights().get(0);
            double sumOfSquares = 0;
            double largest = 0;
            for (float v : w) {
                sumOfSquares += (double) v * v;
                largest = Math.max(largest, Math.abs(v));
            }
            assertTrue(largest <= bound && largest > 0.999 * bound, init + ": largest |w| " + largest + " against bound " + bound);
            assertEquals(bound * bound / 3, sumOfSquares / w.length, 0.01 * bound * bound / 3, init + ": variance");
            float[] b = p.biases().get(0);
            double biasBound = init.biasBound(400);
            boolean anyNonZero = false;
            for (float v : b) {
                assertTrue(Math.abs(v) <= biasBound, init + ": bias " + v + " beyond " + biasBound);
                anyNonZero |= v != 0;
            }
            assertEquals(init == WeightInit.FAN_IN, anyNonZero, init + ": biases drawn");
        }
    }

    @Test
    void boundsAreTheNamedSchemes() {
        assertEquals(Math.sqrt(6.0 / 400), WeightInit.HE.weightBound(Activation.SIGMOID, 400, 500));
        assertEquals(Math.sqrt(6.0 / 900), WeightInit.GLOROT.weightBound(Activation.RELU, 400, 500));
        assertEquals(0.05, WeightInit.FAN_IN.weightBound(Activation.RELU, 400, 500));
        assertEquals(0.05, WeightInit.FAN_IN.biasBound(400));
        assertEquals(WeightInit.HE.weightBound(Activation.RELU, 400, 500), WeightInit.AUTO.weightBound(Activation.RELU, 400, 500));
        assertEquals(WeightInit.GLOROT.weightBound(Activation.TANH, 400, 500), WeightInit.AUTO.weightBound(Activation.TANH, 400, 500));
    }

    @Test
    void theDefaultDrawsWhatItDrewBeforeTheChoiceExisted() {
        NetworkParameters byDefault = NetworkParameters.initialise(RELU, new SplittableRandom(3));
        NetworkParameters auto = NetworkParameters.initialise(RELU, WeightInit.AUTO, new SplittableRandom(3));
        SplittableRandom replay = new SplittableRandom(3);
        for (int l = 0; l < RELU.layerCount(); l++) {
            int in = RELU.width(l);
            double bound = l == 0 ? Math.sqrt(6.0 / in) : Math.sqrt(6.0 / (in + RELU.width(l + 1)));
            float[] expected = new float[in * RELU.width(l + 1)];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (float) replay.nextDouble(-bound, bound);
            }
            assertArrayEquals(expected, byDefault.weights().get(l));
            assertArrayEquals(expected, auto.weights().get(l));
            assertArrayEquals(new float[RELU.width(l + 1)], auto.biases().get(l));
        }
    }

    @Test
    void namesRoundTripAndAnUnknownOneIsRefused() {
        for (WeightInit init : WeightInit.values()) {
            assertEquals(init, WeightInit.fromId(init.id()));
        }
        assertEquals("fan-in", WeightInit.FAN_IN.id());
        assertThrows(IllegalArgumentException.class, () -> WeightInit.fromId("xavier"));
    }
}
