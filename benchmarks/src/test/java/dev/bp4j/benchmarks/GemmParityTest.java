package dev.bp4j.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GemmParityTest {

    private final ParityCheck check = new ParityCheck("GemmParityTest");

    /** op(A)·op(B) accumulated in double and rounded once: what a correct backend returns. */
    private static HostMatrix exactProduct(boolean transposeA, boolean transposeB, HostMatrix a, HostMatrix b) {
        int m = transposeA ? a.cols() : a.rows();
        int k = transposeA ? a.rows() : a.cols();
        int n = transposeB ? b.rows() : b.cols();
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a.at(transposeA, i, p) * b.at(transposeB, p, j);
                }
                c[i * n + j] = (float) sum;
            }
        }
        return new HostMatrix(m, n, c);
    }

    @Test
    void smallProductsAreComparedWithTheReferenceBackendInEveryTransposeCase() {
        int m = 19;
        int k = 23;
        int n = 29;
        SeededInputs seeded = new SeededInputs(7);
        for (int t = 0; t < 4; t++) {
            boolean transposeA = (t & 1) != 0;
            boolean transposeB = (t & 2) != 0;
            HostMatrix a = transposeA ? HostMatrix.uniform(seeded, k, m, -1f, 1f) : HostMatrix.uniform(seeded, m, k, -1f, 1f);
            HostMatrix b = transposeB ? HostMatrix.uniform(seeded, n, k, -1f, 1f) : HostMatrix.uniform(seeded, k, n, -1f, 1f);
            HostMatrix c = exactProduct(transposeA, transposeB, a, b);
            assertDoesNotThrow(() -> GemmParity.verify(check, "gemm", transposeA, transposeB, a, b, c));
            c.values()[c.values().length / 2] += 0.01f;
            assertThrows(IllegalStateException.class,
                    () -> GemmParity.verify(check, "gemm", transposeA, transposeB, a, b, c));
        }
    }

    @Test
    void largeProductsAreSampledAndTheirCornersAlwaysChecked() {
        int n = 520;
        assertTrue((long) n * n * n > GemmParity.FULL_CHECK_LIMIT, "this size takes the sampled path");
        SeededInputs seeded = new SeededInputs(8);
        HostMatrix a = HostMatrix.uniform(seeded, n, n, -1f, 1f);
        HostMatrix b = HostMatrix.uniform(seeded, n, n, -1f, 1f);
        HostMatrix c = exactProduct(false, true, a, b);
        assertDoesNotThrow(() -> GemmParity.verify(check, "gemm", false, true, a, b, c));
        // A tail bug typically corrupts the last row or column: the bottom-right corner is always checked.
        c.values()[n * n - 1] = -c.values()[n * n - 1] + 1f;
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> GemmParity.verify(check, "gemm", false, true, a, b, c));
        assertTrue(error.getMessage().contains("element (519, 519)"), error.getMessage());
    }
}
