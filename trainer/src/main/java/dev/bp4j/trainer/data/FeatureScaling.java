package dev.bp4j.trainer.data;

import java.util.Arrays;

/**
 * The affine map x′ⱼ = (xⱼ − offsetⱼ) · scaleⱼ applied to every sample's features. It is fitted
 * on the training set, applied to every set, and saved in model files so predictions see the
 * features the network was trained on.
 */
public record FeatureScaling(String method, float[] offset, float[] scale) {

    public static FeatureScaling identity(int featureCount) {
        float[] ones = new float[featureCount];
        Arrays.fill(ones, 1f);
        return new FeatureScaling("none", new float[featureCount], ones);
    }

    /** Scales rows of {@code features} (row-major, offset.length columns) in place. */
    public void applyInPlace(float[] features) {
        int n = offset.length;
        for (int i = 0; i < features.length; i++) {
            int j = i % n;
            features[i] = (features[i] - offset[j]) * scale[j];
        }
    }
}
