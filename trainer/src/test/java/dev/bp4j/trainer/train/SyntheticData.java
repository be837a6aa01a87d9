package dev.bp4j.trainer.train;

import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import dev.bp4j.trainer.data.FeatureScaling;

import java.util.SplittableRandom;

/** Small in-memory data sets for trainer tests, built without the data loaders. */
public final class SyntheticData {

    private SyntheticData() {
    }

    /** The four xor points, evaluated on themselves; one 0/1 target column. */
    public static DataSplit xor() {
        Dataset points = new Dataset("xor", 4, 2, 1, new float[] {0, 0, 0, 1, 1, 0, 1, 1}, new float[] {0, 1, 1, 0});
        return new DataSplit("xor", points, points, FeatureScaling.identity(2), true);
    }

    /**
     * {@code classes} Gaussian blobs in the plane, centred on a circle of radius 3 with standard
     * deviation 0.6, so a small network separates them almost perfectly; one-hot targets.
     */
    public static DataSplit blobs(int classes, int trainPerClass, int testPerClass, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new DataSplit("blobs", blobSet(classes, trainPerClass, random), blobSet(classes, testPerClass, random),
                FeatureScaling.identity(2), true);
    }

    private static Dataset blobSet(int classes, int perClass, SplittableRandom random) {
        int n = classes * perClass;
        float[] x = new float[2 * n];
        float[] y = new float[classes * n];
        for (int i = 0; i < n; i++) {
            int label = i % classes;
            double angle = 2 * Math.PI * label / classes;
            x[2 * i] = (float) (3 * Math.cos(angle) + 0.6 * random.nextGaussian());
            x[2 * i + 1] = (float) (3 * Math.sin(angle) + 0.6 * random.nextGaussian());
            y[classes * i + label] = 1f;
        }
        return new Dataset("blobs", n, 2, classes, x, y);
    }

    /** Regression of y = sin(x₀) + x₁/2 for x uniform in [−2, 2]²; one real-valued target. */
    public static DataSplit wave(int train, int test, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new DataSplit("wave", waveSet(train, random), waveSet(test, random), FeatureScaling.identity(2), false);
    }

    private static Dataset waveSet(int n, SplittableRandom random) {
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) random.nextDouble(-2, 2);
            x[2 * i + 1] = (float) random.nextDouble(-2, 2);
            y[i] = (float) (Math.sin(x[2 * i]) + x[2 * i + 1] / 2);
        }
        return new Dataset("wave", n, 2, 1, x, y);
    }
}
