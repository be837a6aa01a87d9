package dev.bp4j.spark;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.checkpoint.CheckpointFile;
import dev.bp4j.trainer.checkpoint.CheckpointFolder;
import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.DataSources;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.Trainer;
import dev.bp4j.trainer.train.TrainingListener;
import dev.bp4j.trainer.train.TrainingSettings;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-parallel trainer against single-process training, on the embedded digits, in one
 * local Spark context of two task threads that retries a failed task once ({@code local[2,2]}).
 */
class SparkTrainingTest {

    static final int[] LAYERS = {64, 16, 10};
    private static JavaSparkContext sc;

    @TempDir
    Path folder;

    @BeforeAll
    static void startSpark() {
        sc = new JavaSparkContext(localConf("local[2,2]"));
    }

    @AfterAll
    static void stopSpark() {
        sc.close();
    }

    /** Keeps Spark on the loopback interface, without its web UI. */
    static SparkConf localConf(String master) {
        return new SparkConf().setMaster(master).setAppName("bp4j-spark test")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false");
    }

    private static SparkTrainingRequest request(OptimizerKind kind, float lr, int batch, int epochs, int partitions, int syncEvery) {
        TrainingSettings settings = new TrainingSettings(epochs, batch, 7, OptimizerSettings.of(kind, lr));
        return new SparkTrainingRequest(DataRequest.of(DataSources.DIGITS), LAYERS, Activation.TANH, null, settings, partitions,
                syncEvery, "cpu", 1, true, null, 0, false);
    }

    private static SparkTrainingResult distributed(SparkTrainingRequest request) throws Exception {
        List<String> said = new ArrayList<>();
        return SparkTraining.train(sc, request, said::add);
    }

    /** bp4j train's loop on one cpu thread with the same data, network and settings. */
    private static NetworkParameters singleProcess(TrainingSettings settings, String backendName) throws Exception {
        DataSplit split = DataSources.load(DataRequest.of(DataSources.DIGITS));
        NetworkSpec spec = NetworkSpec.of(LAYERS, Activation.TANH, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        try (Backend backend = Backends.open(backendName, new BackendOptions(1, null, true), line -> { });
             Trainer trainer = new Trainer(backend, spec, split, settings)) {
            trainer.train(new TrainingListener() { });
            return trainer.network().download();
        }
    }

    private static void assertBitEqual(NetworkParameters expected, NetworkParameters actual) {
        for (int l = 0; l < expected.layerCount(); l++) {
            assertArrayEquals(expected.weights().get(l), actual.weights().get(l), "weights of layer " + l);
            assertArrayEquals(expected.biases().get(l), actual.biases().get(l), "biases of layer " + l);
        }
    }

    @Test
    void onePartitionTrainsBitForBitAsOneProcessWhateverTheSyncInterval() throws Exception {
        for (int syncEvery : new int[] {1, 7}) {
            SparkTrainingRequest request = request(OptimizerKind.MOMENTUM, 0.05f, 32, 2, 1, syncEvery);
            SparkTrainingResult result = distributed(request);
            assertBitEqual(singleProcess(request.settings(), "cpu"), result.model().parameters());
        }
        SparkTrainingRequest adam = request(OptimizerKind.ADAM, 0.003f, 50, 2, 1, 5);
        assertBitEqual(singleProcess(adam.settings(), "cpu"), distributed(adam).model().parameters());
    }

    /**
     * Each partition steps on all its rows at once, so the union of the two batches is the one
     * process's whole training set: the weighted mean of the replicas' SGD steps is its step.
     */
    @Test
    void plainSgdOnTwoPartitionsSyncedEveryStepIsOneProcessWithTheirJoinedBatch() throws Exception {
        int allRows = DataSources.load(DataRequest.of(DataSources.DIGITS)).train().sampleCount();
        SparkTrainingRequest request = request(OptimizerKind.SGD, 0.5f, allRows, 6, 2, 1);
        NetworkParameters combined = distributed(request).model().parameters();
        NetworkParameters expected = singleProcess(request.settings(), "cpu");
        double largest = 0;
        for (int l = 0; l < expected.layerCount(); l++) {
            float[] w = expected.weights().get(l);
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], combined.weights().get(l)[i], 2e-5 * (1 + Math.abs(w[i])), "weight " + i + " of layer " + l);
                largest = Math.max(largest, Math.abs(w[i] - combined.weights().get(l)[i]));
            }
            assertArrayEquals(expected.biases().get(l), combined.biases().get(l), 2e-5f, "biases of layer " + l);
        }
        // Not trivially equal: two partitions and one process sum in different orders.
        NetworkParameters onePartition = distributed(request(OptimizerKind.SGD, 0.5f, allRows, 6, 1, 1)).model().parameters();
        assertBitEqual(expected, onePartition);
        assertTrue(largest < 1e-4, "largest difference " + largest);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheRunEndsAsAnUndisturbedOne() throws Exception {
        SparkTrainingRequest undisturbed = request(OptimizerKind.MOMENTUM, 0.05f, 32, 2, 2, 4).withBackend("reference", true);
        NetworkParameters expected = distributed(undisturbed).model().parameters();
        FlakyBackendProvider.failOnUpdate(61);
        NetworkParameters retried = distributed(undisturbed.withBackend(FlakyBackendProvider.NAME, true)).model().parameters();
        assertEquals(1, FlakyBackendProvider.failures(), "the seam must have failed one task");
        assertBitEqual(expected, retried);
    }

    @Test
    void aRunResumedFromAMidEpochCheckpointEndsAsAnUninterruptedOne() throws Exception {
        SparkTrainingRequest plain = request(OptimizerKind.ADAM, 0.003f, 32, 2, 2, 4);
        NetworkParameters uninterrupted = distributed(plain).model().parameters();

        Path checkpoints = folder.resolve("checkpoints");
        distributed(plain.withCheckpoints(checkpoints, 10, false));
        CheckpointFolder saved = new CheckpointFolder(checkpoints);
        List<Path> newestFirst = saved.checkpoints();
        assertEquals(CheckpointFolder.KEEP, newestFirst.size());
        // The newest is the end of the run; the next ones were taken at sync points inside epoch 2.
        Files.delete(newestFirst.get(0));
        var midEpoch = CheckpointFile.read(newestFirst.get(1)).state();
        assertEquals(1, midEpoch.epochsDone());
        assertTrue(midEpoch.stepInEpoch() > 0 && midEpoch.stepInEpoch() % 4 == 0, "a sync point inside the epoch: " + midEpoch);

        SparkTrainingResult resumed = distributed(plain.withCheckpoints(checkpoints, 10, true));
        assertEquals(1, resumed.epochs().size(), "only the second epoch is trained again");
        assertBitEqual(uninterrupted, resumed.model().parameters());
    }

    @Test
    void resumingWithAnotherSyncIntervalIsRefused() throws Exception {
        Path checkpoints = folder.resolve("checkpoints");
        SparkTrainingRequest plain = request(OptimizerKind.MOMENTUM, 0.05f, 64, 2, 2, 4);
        distributed(plain.withSettings(new TrainingSettings(1, 64, 7, plain.settings().optimizer())).withCheckpoints(checkpoints, 0, false));
        SparkTrainingRequest other = request(OptimizerKind.MOMENTUM, 0.05f, 64, 2, 2, 8).withCheckpoints(checkpoints, 0, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> distributed(other));
        assertTrue(e.getMessage().contains("2 partitions, sync every 4, here 2 partitions, sync every 8"), e.getMessage());
    }

    @Test
    void anExecutorThatCannotOpenTheBackendFailsTheJobWithOneLineNamingIt() {
        SparkTrainingRequest request = request(OptimizerKind.MOMENTUM, 0.05f, 32, 1, 2, 4).withBackend(UnavailableBackendProvider.NAME, true);
        ExecutorFailure e = assertThrows(ExecutorFailure.class, () -> distributed(request));
        assertTrue(e.getMessage().startsWith("executor driver ("), e.getMessage());
        assertTrue(e.getMessage().contains("cannot open backend " + UnavailableBackendProvider.NAME), e.getMessage());
        assertTrue(e.getMessage().contains(UnavailableBackendProvider.REASON), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void withoutStrictAnExecutorFallsBackAndSaysSo() throws Exception {
        SparkTrainingRequest request = request(OptimizerKind.MOMENTUM, 0.05f, 256, 1, 2, 4).withBackend(UnavailableBackendProvider.NAME, false);
        SparkTrainingResult result = distributed(request);
        assertEquals(2, result.workers().size());
        for (String worker : result.workers().values()) {
            assertTrue(worker.contains("backend " + UnavailableBackendProvider.NAME + " unavailable (" + UnavailableBackendProvider.REASON),
                    worker);
        }
    }

    @Test
    void aMissingDataPathFailsBeforeAnyTask() {
        int jobsBefore = sc.statusTracker().getJobIdsForGroup(null).length;
        SparkTrainingRequest request = new SparkTrainingRequest(DataRequest.of(folder.resolve("absent.csv").toString()), null,
                Activation.TANH, null, new TrainingSettings(1, 32, 1, OptimizerSettings.of(OptimizerKind.SGD, 0.1f)), 2, 1, "cpu", 1,
                true, null, 0, false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> distributed(request));
        assertTrue(e.getMessage().startsWith(folder.resolve("absent.csv") + ": no such file or folder"), e.getMessage());
        assertEquals(jobsBefore, sc.statusTracker().getJobIdsForGroup(null).length, "no Spark job ran");
    }

    /** A CSV file by plain path and a folder of IDX files by {@code file:} URI, each read inside the executors. */
    @Test
    void readsCsvAndIdxFromHadoopPaths() throws Exception {
        StringBuilder csv = new StringBuilder("x,y,label\n");
        for (int i = 0; i < 200; i++) {
            double x = (i * 37 % 200) / 100.0 - 1;
            double y = (i * 91 % 200) / 100.0 - 1;
            csv.append(x).append(',').append(y).append(',').append(x * y > 0 ? 1 : 0).append('\n');
        }
        Path file = Files.writeString(folder.resolve("quadrants.csv"), csv);
        TrainingSettings settings = new TrainingSettings(2, 16, 3, OptimizerSettings.of(OptimizerKind.MOMENTUM, 0.05f));
        SparkTrainingResult fromCsv = distributed(new SparkTrainingRequest(DataRequest.of(file.toString()), new int[] {2, 8, 2},
                Activation.TANH, null, settings, 2, 4, "cpu", 1, true, null, 0, false));
        assertEquals(40, fromCsv.finalTest().samples(), "a fifth held out, as bp4j train does");

        Path idx = Files.createDirectories(folder.resolve("idx"));
        writeIdx(idx, "train", 30);
        writeIdx(idx, "t10k", 12);
        SparkTrainingResult fromIdx = distributed(new SparkTrainingRequest(DataRequest.of(idx.toUri().toString()), new int[] {4, 6, 3},
                Activation.TANH, null, settings, 2, 4, "cpu", 1, true, null, 0, false));
        assertEquals(12, fromIdx.finalTest().samples());
        assertEquals("divide-by-255", fromIdx.model().scaling().method());
    }

    /** MNIST-style files of {@code count} 2×2 images with labels 0, 1, 2, 0, …. */
    private static void writeIdx(Path folder, String prefix, int count) throws java.io.IOException {
        java.nio.ByteBuffer images = java.nio.ByteBuffer.allocate(16 + count * 4).putInt(2051).putInt(count).putInt(2).putInt(2);
        java.nio.ByteBuffer labels = java.nio.ByteBuffer.allocate(8 + count).putInt(2049).putInt(count);
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < 4; p++) {
                images.put((byte) ((i * 53 + p * 17) % 256));
            }
            labels.put((byte) (i % 3));
        }
        Files.write(folder.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(folder.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }

    @Test
    void reportsComputeAndCombineTimeForEveryEpoch() throws Exception {
        SparkTrainingResult result = distributed(request(OptimizerKind.MOMENTUM, 0.05f, 64, 2, 2, 4));
        assertEquals(2, result.epochs().size());
        for (SyncedEpoch epoch : result.epochs()) {
            assertEquals(3, epoch.syncs(), "12 local steps of each partition, every 4"); // 719 rows / 64 → 12 steps
            assertTrue(epoch.computeSeconds() > 0 && epoch.combineSeconds() > 0, epoch.toString());
            assertEquals(epoch.seconds(), epoch.computeSeconds() + epoch.combineSeconds(), 1e-9);
        }
        assertTrue(result.finalTest().accuracy() > 0.5, "learns: " + result.finalTest());
    }
}
