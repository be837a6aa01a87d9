package dev.bp4j.trainer.data;

/**
 * A training set and a test set with the same features and targets, already scaled.
 *
 * @param source      the data source as the user named it ({@code digits}, a folder, a CSV file),
 *                    recorded in model files so that {@code eval} can find the same data
 * @param train       the samples to train on
 * @param test        the held-out samples accuracy is reported on
 * @param scaling     the feature scaling fitted on the training set and applied to both
 * @param classification true when targets are class labels: one-hot rows, or a single column of
 *                       0/1 for a two-class problem such as xor
 */
public record DataSplit(String source, Dataset train, Dataset test, FeatureScaling scaling, boolean classification) {
}
