package dev.bp4j.trainer.data;

/**
 * What a source loads before feature scaling is fitted: the two sets, whether the targets are
 * class labels, and the scaling that {@code auto} stands for with this source.
 *
 * @param naturalScaling one of {@link FeatureScaling#METHODS}
 */
record UnscaledSplit(Dataset train, Dataset test, boolean classification, String naturalScaling) {
}
