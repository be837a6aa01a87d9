package dev.bp4j.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * The combination of replicas: the mean of their parameters and
 * optimizer states weighted by the samples each stepped over. It starts empty and allocates on
 * the first replica. A single replica is kept as its own float arrays, so one partition's result
 * passes through unchanged; from the second on the weighted sums are kept in double.
 *
 * <p>Spark carries it as {@link Wire} bytes: each task returns the sum of its one replica, so a
 * replica is encoded once, on its executor, and {@link #combine} merges them along a tree.
 */
final class ReplicaSum {

    private Replica only;
    private double[][] weighted;
    private long samples;
    private long updates;
    private double lossSum;
    private double correct;
    private long slowestComputeNanos;
    private final Map<Integer, String> workers = new TreeMap<>();

    /**
     * The combination of the tasks' encoded sums, along the tree Spark's {@code treeReduce} of
     * this depth builds: while there are many, levels of merges on the executors; then the last
     * level on the driver, which decodes each partial sum once and merges them as objects, so
     * the result (in double, twice a replica's size) is never encoded only to be decoded. The
     * driver holds the last level's partial sums at once: about 2·√P of P for depth 2.
     */
    static ReplicaSum combine(JavaRDD<byte[]> sums, int depth) {
        int n = sums.getNumPartitions();
        int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth)), 2);
        while (n > scale + Math.ceil((double) n / scale)) {
            n /= scale;
            int groups = n;
            sums = sums.mapPartitionsToPair(partial -> {
                int group = TaskContext.getPartitionId() % groups;
                List<Tuple2<Integer, byte[]>> keyed = new ArrayList<>();
                partial.forEachRemaining(bytes -> keyed.add(new Tuple2<>(group, bytes)));
                return keyed.iterator();
            }).reduceByKey(ReplicaSum::merge, groups).values();
        }
        ReplicaSum total = new ReplicaSum();
        for (byte[] partial : sums.collect()) {
            total.merge(fromBytes(partial));
        }
        return total;
    }

    /** Merges two encoded sums; an empty side returns the other as it is, as merging into it would. */
    static byte[] merge(byte[] sum, byte[] other) {
        if (other.length == 0) {
            return sum;
        }
        if (sum.length == 0) {
            return other;
        }
        return fromBytes(sum).merge(fromBytes(other)).toBytes();
    }

    ReplicaSum add(Replica replica) {
        workers.put(replica.partition(), replica.worker());
        lossSum += replica.lossSum();
        correct += replica.correct();
        slowestComputeNanos = Math.max(slowestComputeNanos, replica.computeNanos());
        if (replica.samples() == 0) {
            return this;
        }
        if (replica.tensors() == null) {
            throw new IllegalArgumentException("replica sum: partition " + replica.partition() + " stepped over " + replica.samples()
                    + " samples but sent no tensors");
        }
        updates = Math.max(updates, replica.updates());
        if (samples == 0) {
            only = replica;
        } else {
            accumulate(replica.tensors(), replica.samples());
        }
        samples += replica.samples();
        return this;
    }

    ReplicaSum merge(ReplicaSum other) {
        workers.putAll(other.workers);
        lossSum += other.lossSum;
        correct += other.correct;
        slowestComputeNanos = Math.max(slowestComputeNanos, other.slowestComputeNanos);
        if (other.samples == 0) {
            return this;
        }
        updates = Math.max(updates, other.updates);
        if (samples == 0) {
            only = other.only;
            weighted = other.weighted;
        } else if (other.only != null) {
            accumulate(other.only.tensors(), other.samples);
        } else {
            spreadOnly();
            checkShapes(other.weighted.length, t -> other.weighted[t].length);
            for (int t = 0; t < weighted.length; t++) {
                double[] into = weighted[t];
                double[] from = other.weighted[t];
                for (int i = 0; i < into.length; i++) {
                    into[i] += from[i];
                }
            }
        }
        samples += other.samples;
        return this;
    }

    private void accumulate(float[][] tensors, long weight) {
        spreadOnly();
        checkShapes(tensors.length, t -> tensors[t].length);
        for (int t = 0; t < weighted.length; t++) {
            double[] into = weighted[t];
            float[] from = tensors[t];
            for (int i = 0; i < into.length; i++) {
                into[i] += (double) weight * from[i];
            }
        }
    }

    /** Replicas of one network have tensors of the same sizes; bytes that say otherwise are refused before any is added. */
    private void checkShapes(int count, IntUnaryOperator length) {
        boolean same = count == weighted.length;
        for (int t = 0; same && t < count; t++) {
            same = length.applyAsInt(t) == weighted[t].length;
        }
        if (!same) {
            throw new IllegalArgumentException("replica sum: replicas with tensors of other numbers or sizes (partitions "
                    + workers.keySet() + "); every replica must train the same network");
        }
    }

    /** Turns a lone replica into weighted sums, allocating them: a second one is about to join. */
    private void spreadOnly() {
        if (only == null) {
            return;
        }
        weighted = new double[only.tensors().length][];
        for (int t = 0; t < weighted.length; t++) {
            float[] from = only.tensors()[t];
            double[] into = new double[from.length];
            for (int i = 0; i < into.length; i++) {
                into[i] = (double) samples * from[i];
            }
            weighted[t] = into;
        }
        only = null;
    }

    /** The weighted mean; null when no replica stepped. */
    float[][] mean() {
        if (samples == 0) {
            return null;
        }
        if (only != null) {
            return only.tensors();
        }
        float[][] mean = new float[weighted.length][];
        for (int t = 0; t < weighted.length; t++) {
            double[] sum = weighted[t];
            float[] out = new float[sum.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (sum[i] / samples);
            }
            mean[t] = out;
        }
        return mean;
    }

    /** The empty sum is the empty array. */
    byte[] toBytes() {
        if (workers.isEmpty()) {
            return new byte[0];
        }
        return Wire.encode(Wire.REPLICA_SUM, out -> {
            out.putBoolean(only != null);
            if (only != null) {
                only.writeTo(out);
            }
            out.putDoubleArrays(weighted).putLong(samples).putLong(updates).putDouble(lossSum).putDouble(correct)
                    .putLong(slowestComputeNanos).putInt(workers.size());
            workers.forEach((partition, worker) -> out.putInt(partition).putString(worker));
        });
    }

    static ReplicaSum fromBytes(byte[] bytes) {
        ReplicaSum sum = new ReplicaSum();
        if (bytes.length == 0) {
            return sum;
        }
        return Wire.decode(Wire.REPLICA_SUM, bytes, in -> {
            sum.only = in.getBoolean() ? Replica.readFrom(in) : null;
            sum.weighted = in.getDoubleArrays();
            sum.samples = in.getLong();
            sum.updates = in.getLong();
            sum.lossSum = in.getDouble();
            sum.correct = in.getDouble();
            sum.slowestComputeNanos = in.getLong();
            int workers = in.count(Integer.BYTES * 2, "worker table");
            for (int i = 0; i < workers; i++) {
                sum.workers.put(in.getInt(), in.getString());
            }
            return sum;
        });
    }

    long samples() {
        return samples;
    }

    long updates() {
        return updates;
    }

    double lossSum() {
        return lossSum;
    }

    double correct() {
        return correct;
    }

    long slowestComputeNanos() {
        return slowestComputeNanos;
    }

    Map<Integer, String> workers() {
        return workers;
    }
}
