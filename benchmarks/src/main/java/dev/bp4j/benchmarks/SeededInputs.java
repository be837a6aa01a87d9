package dev.bp4j.benchmarks;

import java.util.SplittableRandom;

/**
 * Benchmark inputs drawn from a fixed seed, so every backend and every run is timed and
 * validated on the same numbers.
 */
final class SeededInputs {

    private final SplittableRandom random;

    SeededInputs(long seed) {
        random = new SplittableRandom(seed);
    }

    /** {@code count} floats uniform in [low, high). */
    float[] uniform(long count, float low, float high) {
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cannot hold " + count + " floats in one Java array");
        }
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + (high - low) * (float) random.nextDouble();
        }
        return values;
    }

    /** A (rows × classes) one-hot matrix, row-major, with a uniformly drawn class per row. */
    float[] oneHot(int rows, int classes) {
        float[] values = new float[rows * classes];
        for (int r = 0; r < rows; r++) {
            values[r * classes + random.nextInt(classes)] = 1f;
        }
        return values;
    }

    /** A random permutation of 0 … count−1 (Fisher–Yates). */
    int[] permutation(int count) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
