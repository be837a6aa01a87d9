package dev.bp4j.spark;

/**
 * What one partition sends back from a round of local steps, as {@link Wire} bytes.
 *
 * @param samples      training samples it stepped over this round (its weight in the combination)
 * @param tensors      its parameters and optimizer state after them, laid out as in {@link SyncPoint};
 *                     null when it took no step (its epoch had already ended), as they are unchanged
 * @param updates      its optimizer's update count afterwards
 * @param lossSum      the sum of per-sample training losses of its steps
 * @param correct      the training samples its steps classified right
 * @param computeNanos the time its steps took, parameter upload and download included
 * @param worker       where it ran and on which backend, e.g. "executor 1 (host-a): cpu (…)"
 */
record Replica(int partition, long samples, int steps, float[][] tensors, long updates, double lossSum, double correct,
               long computeNanos, String worker) {

    byte[] toBytes() {
        return Wire.encode(Wire.REPLICA, this::writeTo);
    }

    static Replica fromBytes(byte[] bytes) {
        return Wire.decode(Wire.REPLICA, bytes, Replica::readFrom);
    }

    /** The fields alone, also inside a {@link ReplicaSum}. */
    void writeTo(Wire.Writer out) {
        out.putInt(partition).putLong(samples).putInt(steps).putFloatArrays(tensors).putLong(updates).putDouble(lossSum)
                .putDouble(correct).putLong(computeNanos).putString(worker);
    }

    static Replica readFrom(Wire.Reader in) {
        return new Replica(in.getInt(), in.getLong(), in.getInt(), in.getFloatArrays(), in.getLong(), in.getDouble(), in.getDouble(),
                in.getLong(), in.getString());
    }
}
