package dev.bp4j.cpu;

import dev.bp4j.api.contract.RandomValues;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BiasKernelsTest {

    private static final int GRAIN = 1 << 10;

    @Test
    void theBitsDoNotDependOnTheThreadCount() {
        // Both paths: bands, and columns split for one band or more than BANDED_MAX_ELEMENTS.
        int[][] shapes = {{1, 5}, {64, 33}, {65, 33}, {200, 300}, {1000, 7}, {257, 1000}, {300, 1000}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int cols = shape[1];
            float[] matrix = RandomValues.uniform(new SplittableRandom(rows * 31L + cols), rows * cols);
            float[] first = sums(1, matrix, rows, cols);
            for (int threads = 2; threads <= 3; threads++) {
                assertArrayEquals(first, sums(threads, matrix, rows, cols), rows + " × " + cols + " on " + threads + " threads");
            }
        }
    }

    @Test
    void bandsAddUpToTheColumnSumsScaledAndAccumulated() {
        int rows = 3 * BiasKernels.BAND_ROWS + 5;
        int cols = 37;
        float[] matrix = RandomValues.uniform(new SplittableRandom(5), rows * cols);
        float[] result = RandomValues.uniform(new SplittableRandom(6), cols);
        float[] before = result.clone();
        try (WorkerPool pool = new WorkerPool(2)) {
            new BiasKernels(pool, GRAIN).columnSums(0.5f, matrix, rows, cols, -2f, result);
        }
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            double magnitude = 0;
            for (int i = 0; i < rows; i++) {
                sum += matrix[i * cols + j];
                magnitude += Math.abs(matrix[i * cols + j]);
            }
            double expected = 0.5 * sum - 2.0 * before[j];
            // float32 sums of `rows` terms: a few ulps of the magnitude per addition.
            assertEquals(expected, result[j], 1e-6 * rows * (magnitude + Math.abs(before[j])), "column " + j);
        }
    }

    private static float[] sums(int threads, float[] matrix, int rows, int cols) {
        float[] result = new float[cols];
        try (WorkerPool pool = new WorkerPool(threads)) {
            new BiasKernels(pool, GRAIN).columnSums(1f, matrix, rows, cols, 0f, result);
        }
        return result;
    }

}
