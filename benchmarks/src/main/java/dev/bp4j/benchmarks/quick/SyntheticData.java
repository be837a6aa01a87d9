package dev.bp4j.benchmarks.quick;

import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import dev.bp4j.trainer.data.FeatureScaling;

import java.util.SplittableRandom;

/**
 * A seeded classification problem with the shape of Fashion-MNIST (784 features in [0, 1],
 * 10 classes), so the bench measures training throughput without needing the data set
 * installed. The class of a sample is the arg-max of a fixed random linear map of its
 * features, so the problem is learnable and the losses two backends reach can be compared.
 */
final class SyntheticData {

    static final int FEATURES = 784;
    static final int CLASSES = 10;

    private SyntheticData() {
    }

    static DataSplit split(int trainSamples, int testSamples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] map = new float[FEATURES * CLASSES];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) (random.nextDouble() * 2 - 1);
        }
        Dataset train = samples("synthetic-train", trainSamples, map, random);
        Dataset test = samples("synthetic-test", testSamples, map, random);
        return new DataSplit("synthetic", train, test, FeatureScaling.identity(FEATURES), true);
    }

    private static Dataset samples(String name, int count, float[] map, SplittableRandom random) {
        float[] features = new float[count * FEATURES];
        float[] targets = new float[count * CLASSES];
        for (int s = 0; s < count; s++) {
            sample(features, s * FEATURES, targets, s * CLASSES, map, random);
        }
        return new Dataset(name, count, FEATURES, CLASSES, features, targets);
    }

    /** Random features at {@code at}, and the one-hot class the fixed linear map scores highest. */
    private static void sample(float[] features, int at, float[] targets, int targetAt, float[] map, SplittableRandom random) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int f = 0; f < FEATURES; f++) {
            features[at + f] = (float) random.nextDouble();
        }
        for (int c = 0; c < CLASSES; c++) {
            double score = 0;
            for (int f = 0; f < FEATURES; f++) {
                score += features[at + f] * map[f * CLASSES + c];
            }
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        targets[targetAt + best] = 1f;
    }
}
