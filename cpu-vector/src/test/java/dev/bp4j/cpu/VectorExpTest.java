package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The polynomial exponential against Math.exp over its whole range and at its clamps. */
class VectorExpTest {

    private static float[] exp(float[] x) {
        float[] y = new float[x.length];
        int lanes = VectorWidth.LANES;
        for (int i = 0; i < x.length; i += lanes) {
            VectorExp.exp(FloatVector.fromArray(VectorWidth.FLOATS, x, i)).intoArray(y, i);
        }
        return y;
    }

    @Test
    void withinThreeUlpsAcrossTheNormalRange() {
        int count = 1 << 20;
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = -87f + 175f * i / count;
        }
        float[] y = exp(x);
        for (int i = 0; i < count; i++) {
            double expected = Math.exp(x[i]);
            double error = Math.abs(y[i] - expected) / Math.ulp((float) expected);
            if (!(error <= 3)) {
                fail("exp(" + x[i] + ") = " + y[i] + ", expected " + expected + " (" + error + " ulp off)");
            }
        }
    }

    @Test
    void exactAtZeroAndClampedBeyondTheRange() {
        float[] x = new float[VectorWidth.LANES * 2];
        x[0] = 0f;
        x[1] = -1e4f;
        x[2] = 1e4f;
        x[3] = Float.NaN;
        float[] y = exp(x);
        assertEquals(1f, y[0]);
        assertTrue(y[1] >= 0f && y[1] < 2e-38f, "far below the range the result is tiny, got " + y[1]);
        assertTrue(Float.isFinite(y[2]) && y[2] > 1e38f, "far above the range the result is huge but finite, got " + y[2]);
        assertTrue(Float.isNaN(y[3]), "NaN stays NaN, got " + y[3]);
    }
}
