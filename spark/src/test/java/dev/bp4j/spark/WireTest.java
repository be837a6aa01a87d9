package dev.bp4j.spark;

import dev.bp4j.api.Activation;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.train.OptimizerKind;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The byte format Spark carries: every message reads back as it was written, bit for bit, and
 * bytes that are not a whole message of the expected kind and version are refused with a line
 * that names the kind, before anything a declared length asks for is allocated.
 */
class WireTest {

    private static final DataPlan DATA = new DataPlan("hdfs://nn/data/fashion", -1, 0.2, 42L, "divide-by-255", 4);

    @Test
    void plansAndShapesReadBackAsWritten() {
        assertEquals(DATA, DataPlan.fromBytes(DATA.toBytes()));
        RunPlan plan = new RunPlan("run-1", DATA, new int[] {784, 64, 10}, Activation.TANH, Activation.IDENTITY,
                LossFunction.SOFTMAX_CROSS_ENTROPY, 3, 32, -7L, OptimizerKind.values()[1], 0.01f, 0.9f, 0.9f, 0.999f, 1e-8f, "cpu", 2,
                true);
        RunPlan back = RunPlan.fromBytes(plan.toBytes());
        assertArrayEquals(plan.widths(), back.widths());
        assertEquals(plan.spec(), back.spec());
        assertEquals(plan.settings(), back.settings());
        assertEquals(plan.data(), back.data());
        assertEquals(plan.runId(), back.runId());
        assertEquals(plan.backendOptions("0"), back.backendOptions("0"));

        DataShape shape = new DataShape(3, 784, 10, true, "none", new float[] {0f, -0f}, null, 15000, 2500, "executor_h_1");
        DataShape read = DataShape.fromBytes(shape.toBytes());
        assertEquals(Arrays.toString(shape.offset()), Arrays.toString(read.offset()));
        assertNull(read.scale());
        assertEquals(new DataShape(3, 784, 10, true, "none", read.offset(), null, 15000, 2500, "executor_h_1"), read);
    }

    @Test
    void syncPointsAndReplicaSumsKeepEveryBit() {
        float[][] tensors = {{1.5f, Float.NaN, -0f, Float.MIN_VALUE}, {3f}, {}, {Float.NEGATIVE_INFINITY}};
        SyncPoint point = new SyncPoint(OptimizerKind.SGD, tensors, 17, 2, 5);
        SyncPoint back = SyncPoint.fromBytes(point.toBytes());
        assertEquals(point.kind(), back.kind());
        assertEquals(17, back.updates());
        assertEquals(2, back.epochsDone());
        assertEquals(5, back.stepInEpoch());
        assertBits(tensors, back.tensors());

        Replica a = new Replica(0, 32, 1, new float[][] {{0.1f, 0.2f}, {0.3f}}, 5, 1.25, 30, 1000, "executor 0: cpu");
        Replica b = new Replica(1, 16, 1, new float[][] {{0.7f, -0.2f}, {0.9f}}, 5, 0.5, 12, 2000, "executor 1: cpu");
        Replica idle = new Replica(2, 0, 0, null, 4, 0, 0, 10, "executor 1: cpu");
        ReplicaSum objects = new ReplicaSum().add(a).merge(new ReplicaSum().add(b)).merge(new ReplicaSum().add(idle));
        byte[] encoded = ReplicaSum.merge(ReplicaSum.merge(sumOf(Replica.fromBytes(a.toBytes())), sumOf(b)),
                sumOf(Replica.fromBytes(idle.toBytes())));
        ReplicaSum decoded = ReplicaSum.fromBytes(ReplicaSum.merge(new byte[0], encoded));
        assertBits(objects.mean(), decoded.mean());
        assertEquals(objects.samples(), decoded.samples());
        assertEquals(objects.updates(), decoded.updates());
        assertEquals(objects.lossSum(), decoded.lossSum());
        assertEquals(objects.correct(), decoded.correct());
        assertEquals(objects.slowestComputeNanos(), decoded.slowestComputeNanos());
        assertEquals(Map.of(0, a.worker(), 1, b.worker(), 2, idle.worker()), decoded.workers());

        ReplicaSum lone = ReplicaSum.fromBytes(sumOf(Replica.fromBytes(a.toBytes())));
        assertBits(a.tensors(), lone.mean());
        assertEquals(0, new ReplicaSum().toBytes().length);
    }

    @Test
    void aTruncatedMessageIsRefusedNamingItsKind() {
        byte[] whole = new SyncPoint(OptimizerKind.SGD, new float[][] {{1f, 2f, 3f}, {4f}}, 1, 0, 0).toBytes();
        for (int length : new int[] {0, 3, 6, 10, whole.length - 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SyncPoint.fromBytes(Arrays.copyOf(whole, length)), "length " + length);
            assertTrue(e.getMessage().startsWith("sync point: "), e.getMessage());
        }
        byte[] longer = Arrays.copyOf(DATA.toBytes(), DATA.toBytes().length + 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataPlan.fromBytes(longer)).getMessage()
                .contains("2 unexpected bytes"));
    }

    @Test
    void aHugeDeclaredLengthIsRefusedBeforeAllocating() {
        // A replica whose tensor list claims Integer.MAX_VALUE entries, then one whose first tensor claims as many floats.
        byte[] replica = new Replica(0, 1, 1, new float[][] {{1f}}, 1, 0, 0, 0, "w").toBytes();
        int listAt = 6 + 4 + 8 + 4;
        for (int at : new int[] {listAt, listAt + 4}) {
            byte[] forged = replica.clone();
            ByteBuffer.wrap(forged).order(ByteOrder.LITTLE_ENDIAN).putInt(at, Integer.MAX_VALUE);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Replica.fromBytes(forged));
            assertTrue(e.getMessage().startsWith("replica: ") && e.getMessage().contains(Integer.MAX_VALUE + " elements"),
                    e.getMessage());
        }
        byte[] negative = replica.clone();
        ByteBuffer.wrap(negative).order(ByteOrder.LITTLE_ENDIAN).putInt(listAt + 4, -5);
        assertThrows(IllegalArgumentException.class, () -> Replica.fromBytes(negative));
    }

    @Test
    void replicasOfAnotherShapeAreRefusedWhenMerged() {
        byte[] two = new ReplicaSum().add(new Replica(0, 1, 1, new float[][] {{1f, 2f}}, 1, 0, 0, 0, "a")).toBytes();
        byte[] three = new ReplicaSum().add(new Replica(1, 1, 1, new float[][] {{1f, 2f, 3f}}, 1, 0, 0, 0, "b")).toBytes();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReplicaSum.merge(two, three)).getMessage()
                .startsWith("replica sum: "));
        Replica none = new Replica(2, 5, 1, null, 1, 0, 0, 0, "c");
        assertThrows(IllegalArgumentException.class, () -> new ReplicaSum().add(none));
    }

    @Test
    void anotherKindOrVersionIsRefused() {
        byte[] plan = DATA.toBytes();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncPoint.fromBytes(plan)).getMessage()
                .startsWith("sync point: not a bp4j sync point message"));
        byte[] future = plan.clone();
        future[5] = 9;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataPlan.fromBytes(future)).getMessage()
                .startsWith("data plan: version 9"));
        byte[] unknownEnum = new SyncPoint(OptimizerKind.SGD, new float[][] {{1f}, {2f}}, 1, 0, 0).toBytes();
        unknownEnum[6 + 4] = 'X';
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncPoint.fromBytes(unknownEnum)).getMessage()
                .startsWith("sync point: unknown OptimizerKind"));
    }

    /** What a task returns: the sum of its one replica. */
    private static byte[] sumOf(Replica replica) {
        return new ReplicaSum().add(replica).toBytes();
    }

    private static void assertBits(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t].length, actual[t].length);
            for (int i = 0; i < expected[t].length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[t][i]), Float.floatToRawIntBits(actual[t][i]), "tensor " + t + "[" + i + "]");
            }
        }
    }
}
