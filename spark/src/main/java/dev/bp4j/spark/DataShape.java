package dev.bp4j.spark;

import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.FeatureScaling;

import java.io.Serial;
import java.io.Serializable;

/**
 * What one partition found when it loaded the data, for the driver to build the network and the
 * model file from, and to pin the partition to the executor that holds its rows.
 *
 * @param executorLocation Spark's name for the executor, {@code executor_<host>_<id>}
 */
record DataShape(int partition, int features, int targets, boolean classification, String scalingMethod, float[] offset,
                 float[] scale, int trainRows, int testRows, String executorLocation) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static DataShape of(int partition, DataSplit split, String executorLocation) {
        return new DataShape(partition, split.train().featureCount(), split.train().targetCount(), split.classification(),
                split.scaling().method(), split.scaling().offset(), split.scaling().scale(), split.train().sampleCount(),
                split.test().sampleCount(), executorLocation);
    }

    FeatureScaling scaling() {
        return new FeatureScaling(scalingMethod, offset, scale);
    }
}
