package dev.bp4j.spark;

import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.FeatureScaling;

/**
 * What one partition found when it loaded the data, for the driver to build the network and the
 * model file from, and to pin the partition to the executor that holds its rows. It travels to
 * the driver as {@link Wire} bytes.
 *
 * @param executorLocation Spark's name for the executor, {@code executor_<host>_<id>}
 */
record DataShape(int partition, int features, int targets, boolean classification, String scalingMethod, float[] offset,
                 float[] scale, int trainRows, int testRows, String executorLocation) {

    static DataShape of(int partition, DataSplit split, String executorLocation) {
        return new DataShape(partition, split.train().featureCount(), split.train().targetCount(), split.classification(),
                split.scaling().method(), split.scaling().offset(), split.scaling().scale(), split.train().sampleCount(),
                split.test().sampleCount(), executorLocation);
    }

    FeatureScaling scaling() {
        return new FeatureScaling(scalingMethod, offset, scale);
    }

    byte[] toBytes() {
        return Wire.encode(Wire.DATA_SHAPE, out -> out.putInt(partition).putInt(features).putInt(targets)
                .putBoolean(classification).putString(scalingMethod).putFloats(offset).putFloats(scale).putInt(trainRows)
                .putInt(testRows).putString(executorLocation));
    }

    static DataShape fromBytes(byte[] bytes) {
        return Wire.decode(Wire.DATA_SHAPE, bytes, in -> new DataShape(in.getInt(), in.getInt(), in.getInt(),
                in.getBoolean(), in.getString(), in.getFloats(), in.getFloats(), in.getInt(), in.getInt(), in.getString()));
    }
}
