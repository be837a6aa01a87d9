package dev.bp4j.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ReplicaSum#combine} over encoded sums gives the combination of merging the replicas one
 * by one: exactly with two partitions (the driver merges them), and to double rounding with nine,
 * where a level of merges runs on the executors first.
 */
class ReplicaSumTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = new JavaSparkContext(SparkTrainingTest.localConf("local[2]"));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    @Test
    void twoPartitionsCombineBitForBitAsMergedObjects() {
        check(2, 0);
    }

    @Test
    void ninePartitionsCombineThroughALevelOnTheExecutors() {
        check(9, 1e-12);
    }

    private static void check(int partitions, double tolerance) {
        SplittableRandom random = new SplittableRandom(partitions);
        List<Replica> replicas = new ArrayList<>();
        List<byte[]> encoded = new ArrayList<>();
        ReplicaSum expected = new ReplicaSum();
        for (int p = 0; p < partitions; p++) {
            float[][] tensors = {new float[5], new float[3]};
            for (float[] t : tensors) {
                for (int i = 0; i < t.length; i++) {
                    t[i] = (float) random.nextGaussian();
                }
            }
            boolean idle = p == partitions - 1;
            Replica r = new Replica(p, idle ? 0 : 10 + p, idle ? 0 : 1, idle ? null : tensors, 3 + p, random.nextDouble(), p,
                    1000L * p, "worker " + p);
            replicas.add(r);
            encoded.add(new ReplicaSum().add(r).toBytes());
            expected.merge(new ReplicaSum().add(r));
        }
        ReplicaSum combined = ReplicaSum.combine(sc.parallelize(encoded, partitions), 2);
        assertEquals(expected.samples(), combined.samples());
        assertEquals(expected.updates(), combined.updates());
        assertEquals(expected.slowestComputeNanos(), combined.slowestComputeNanos());
        assertEquals(expected.workers(), combined.workers());
        assertEquals(expected.lossSum(), combined.lossSum(), tolerance);
        assertEquals(expected.correct(), combined.correct(), tolerance);
        float[][] want = expected.mean();
        float[][] got = combined.mean();
        for (int t = 0; t < want.length; t++) {
            for (int i = 0; i < want[t].length; i++) {
                assertEquals(want[t][i], got[t][i], tolerance == 0 ? 0 : 1e-6, "tensor " + t + "[" + i + "] of " + partitions);
            }
        }
    }
}
