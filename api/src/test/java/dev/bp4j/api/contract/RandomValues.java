package dev.bp4j.api.contract;

import java.util.SplittableRandom;

/** Test inputs: floats drawn uniformly from [−1, 1), so sums and products stay near 1 in size. */
public final class RandomValues {

    private RandomValues() {
    }

    public static float[] uniform(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
