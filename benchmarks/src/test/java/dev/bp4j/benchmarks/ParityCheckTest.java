package dev.bp4j.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParityCheckTest {

    private final ParityCheck check = new ParityCheck("TestBenchmark backend=x");

    @Test
    void acceptsResultsWithinTheElementwiseTolerance() {
        float[] reference = {1f, -2f, 1000f};
        float[] actual = {1f + 5e-6f, -2f, 1000.005f};
        assertDoesNotThrow(() -> check.elementwise("sigmoid", 3, reference, actual));
    }

    @Test
    void rejectsAWrongElementNamingTrialOperationAndPosition() {
        float[] reference = {1f, 2f, 3f, 4f};
        float[] actual = {1f, 2f, 3f, 4.01f};
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> check.elementwise("hadamard", 2, reference, actual));
        assertTrue(error.getMessage().startsWith("TestBenchmark backend=x: hadamard element (1, 1) is 4.01"),
                error.getMessage());
    }

    @Test
    void rejectsNaN() {
        assertThrows(IllegalStateException.class,
                () -> check.within("gemm", 1, new float[] {0f}, new double[] {1.0}, new float[] {Float.NaN}));
    }

    @Test
    void rejectsAResultOfTheWrongLength() {
        assertThrows(IllegalStateException.class, () -> check.elementwise("copy", 1, new float[2], new float[3]));
    }

    @Test
    void sumToleranceGrowsWithTheLengthAndMagnitudeOfTheSum() {
        assertTrue(ParityCheck.sumTolerance(1000, 1.0) > ParityCheck.sumTolerance(10, 1.0));
        assertTrue(ParityCheck.sumTolerance(10, 100.0) > ParityCheck.sumTolerance(10, 1.0));
    }
}
