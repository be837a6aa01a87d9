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

    public Dataset {
        if ((long) sampleCount * featureCount != features.length || (long) sampleCount * targetCount != targets.length) {
            throw new IllegalArgumentException(name + ": " + sampleCount + " samples of " + featureCount + " features and "
                    + targetCount + " targets do not match arrays of " + features.length + " and " + targets.length);
        }
    }
}
