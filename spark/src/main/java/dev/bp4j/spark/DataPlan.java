package dev.bp4j.spark;

import dev.bp4j.trainer.data.DataRequest;

/**
 * The data of a run as the executors load it: the request as {@code bp4j train} takes it (a
 * Hadoop URI such as {@code hdfs://…} is allowed as the source) and how many partitions share
 * the rows. It travels to the executors as {@link Wire} bytes.
 */
record DataPlan(String source, int labelColumn, double testFraction, long seed, String scaling, int partitions) {

    static DataPlan of(DataRequest request, int partitions) {
        return new DataPlan(request.source(), request.labelColumn(), request.testFraction(), request.seed(), request.scaling(),
                partitions);
    }

    DataRequest request() {
        return new DataRequest(source, labelColumn, testFraction, seed, scaling);
    }

    byte[] toBytes() {
        return Wire.encode(Wire.DATA_PLAN, this::writeTo);
    }

    static DataPlan fromBytes(byte[] bytes) {
        return Wire.decode(Wire.DATA_PLAN, bytes, DataPlan::readFrom);
    }

    /** The fields alone, also inside a {@link RunPlan}. */
    void writeTo(Wire.Writer out) {
        out.putString(source).putInt(labelColumn).putDouble(testFraction).putLong(seed).putString(scaling).putInt(partitions);
    }

    static DataPlan readFrom(Wire.Reader in) {
        return new DataPlan(in.getString(), in.getInt(), in.getDouble(), in.getLong(), in.getString(), in.getInt());
    }
}
