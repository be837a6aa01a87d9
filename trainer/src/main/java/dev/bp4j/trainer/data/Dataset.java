package dev.bp4j.trainer.data;

/**
 * Samples held on the host before they are uploaded once to a backend.
 *
 * @param name         where the samples came from, for messages and model metadata
 * @param sampleCount  number of samples (rows)
 * @param featureCount inputs per sample
 * @param targetCount  outputs per sample: the number of classes for classification (targets are
 *                     one-hot rows), or the number of regression outputs
 * @param features     sampleCount × featureCount, row-major
 * @param targets      sampleCount × targetCount, row-major
 */
public record Dataset(String name, int sampleCount, int featureCount, int targetCount, float[] features, float[] targets) {

    /**
     * The most feature values a loaded data set may have: 2²⁸, 1 GiB as float32. The trainer
     * uploads a training set to the device whole, and a file claiming more is far more likely
     * corrupt or hostile than real (Fashion-MNIST has 47 million).
     */
    public static final int MAX_VALUES = 1 << 28;

    public Dataset {
        if ((long) sampleCount * featureCount != features.length || (long) sampleCount * targetCount != targets.length) {
            throw new IllegalArgumentException(name + ": " + sampleCount + " samples of " + featureCount + " features and "
                    + targetCount + " targets do not match arrays of " + features.length + " and " + targets.length);
        }
    }
}
