package dev.bp4j.benchmarks.quick;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GemmAgreementTest {

    private static float[] uniform(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    /** A·B accumulated in double and rounded once. */
    private static float[] product(float[] a, float[] b, int n) {
        float[] c = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < n; p++) {
                    sum += (double) a[i * n + p] * b[p * n + j];
                }
                c[i * n + j] = (float) sum;
            }
        }
        return c;
    }

    @Test
    void acceptsACorrectProductAndRejectsAWrongElementInAnyCheckedSlab() {
        int n = 37;
        SplittableRandom random = new SplittableRandom(3);
        float[] a = uniform(random, n * n);
        float[] b = uniform(random, n * n);
        float[] c = product(a, b, n);
        assertDoesNotThrow(() -> GemmAgreement.check("test", n, a, b, c));
        // The last element sits in the last slab and the last column: a typical tail bug.
        for (int wrong : new int[] {0, (n / 2) * n + 5, n * n - 1}) {
            float[] corrupted = c.clone();
            corrupted[wrong] += 0.05f;
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> GemmAgreement.check("test", n, a, b, corrupted));
            assertTrue(error.getMessage().startsWith("backend test, gemm n=37: element (" + wrong / n + ", " + wrong % n + ")"),
                    error.getMessage());
        }
    }

    @Test
    void matricesSmallerThanASlabAreCheckedWhole() {
        int n = 3;
        SplittableRandom random = new SplittableRandom(4);
        float[] a = uniform(random, n * n);
        float[] b = uniform(random, n * n);
        float[] c = product(a, b, n);
        assertDoesNotThrow(() -> GemmAgreement.check("test", n, a, b, c));
        c[4] = Float.NaN;
        assertThrows(IllegalStateException.class, () -> GemmAgreement.check("test", n, a, b, c));
    }
}
