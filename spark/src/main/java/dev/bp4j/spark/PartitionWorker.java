package dev.bp4j.spark;

import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendUnavailableException;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import dev.bp4j.trainer.train.DeviceDataset;
import dev.bp4j.trainer.train.Evaluation;
import dev.bp4j.trainer.train.Evaluator;
import dev.bp4j.trainer.train.Trainer;
import dev.bp4j.trainer.train.TrainingState;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One partition's replica inside an executor: its backend, a {@link Trainer} over its training
 * rows (uploaded once) and its test rows for evaluation. Workers live from a run's first round
 * to its end in a per-JVM table, so later rounds only upload the combined parameters; a task
 * whose worker is missing (a retry on another executor, a restarted one) builds it again, and
 * since every round starts from the broadcast state, the result is the same.
 */
final class PartitionWorker implements AutoCloseable {

    private static final ConcurrentHashMap<String, PartitionWorker> RUNNING = new ConcurrentHashMap<>();
    /** Each run's latest broadcast sync point in this JVM, decoded once for all its partitions here. */
    private static final ConcurrentHashMap<String, Received> RECEIVED = new ConcurrentHashMap<>();

    private record Received(long broadcastId, SyncPoint point) {
    }

    private final Backend backend;
    private final String description;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final Trainer trainer;
    private final DeviceDataset test;
    private final Evaluator evaluator;
    private final boolean classification;
    private final int trainRows;

    private PartitionWorker(RunPlan plan, int partition) {
        String executor = executorName();
        DataSplit data = ExecutorData.partition(plan.data(), partition);
        String gpu = assignedGpu();
        List<String> said = new ArrayList<>();
        try {
            this.backend = Backends.open(plan.backend(), plan.backendOptions(gpu), said::add);
        } catch (BackendUnavailableException e) {
            throw new ExecutorFailure(executor + ": cannot open backend " + plan.backend() + (gpu == null ? "" : " on GPU " + gpu)
                    + ": " + e.getMessage());
        }
        this.description = executor + ": " + backend.name() + " (" + backend.deviceDescription() + ")"
                + (said.isEmpty() ? "" : "; " + String.join("; ", said));
        this.classification = data.classification();
        this.trainRows = data.train().sampleCount();
        try {
            Dataset none = new Dataset(data.train().name(), 0, data.train().featureCount(), data.train().targetCount(), new float[0],
                    new float[0]);
            this.trainer = own(new Trainer(backend, plan.spec(), new DataSplit(data.source(), data.train(), none, data.scaling(),
                    data.classification()), plan.settings()));
            this.test = data.test().sampleCount() > 0 ? own(new DeviceDataset(backend, data.test())) : null;
            this.evaluator = own(new Evaluator(backend, plan.spec(), classification));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    /**
     * Runs {@code work} on this partition's worker, building it on first use. A worker whose
     * work fails is closed and forgotten, so a retried task starts from a fresh one; the failure
     * reaches the driver as an {@link ExecutorFailure} naming the executor.
     */
    static <T> T with(RunPlan plan, int partition, Function<PartitionWorker, T> work) {
        String key = plan.runId() + "/" + partition;
        PartitionWorker worker;
        try {
            worker = RUNNING.computeIfAbsent(key, k -> new PartitionWorker(plan, partition));
        } catch (ExecutorFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ExecutorFailure(executorName() + ", partition " + partition + ": " + e.getMessage(), e);
        }
        synchronized (worker) { // a speculative copy of the same task waits rather than sharing the device
            try {
                return work.apply(worker);
            } catch (RuntimeException e) {
                RUNNING.remove(key, worker);
                worker.close();
                throw new ExecutorFailure(executorName() + ", partition " + partition + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The sync point {@code broadcast} carries, decoded on the first task of the round in this
     * JVM; the other partitions here continue from the same (read-only) arrays, as they did
     * when Spark shared the deserialized broadcast value.
     */
    static SyncPoint received(RunPlan plan, Broadcast<byte[]> broadcast) {
        return RECEIVED.compute(plan.runId(), (run, last) -> last != null && last.broadcastId() == broadcast.id() ? last
                : new Received(broadcast.id(), SyncPoint.fromBytes(broadcast.value()))).point();
    }

    /** Closes this JVM's workers of the run and drops its data. */
    static void release(RunPlan plan) {
        RECEIVED.remove(plan.runId());
        String prefix = plan.runId() + "/";
        for (String key : List.copyOf(RUNNING.keySet())) {
            if (key.startsWith(prefix)) {
                PartitionWorker worker = RUNNING.remove(key);
                if (worker != null) {
                    synchronized (worker) {
                        worker.close();
                    }
                }
            }
        }
        ExecutorData.release(plan.data());
    }

    /** Up to {@code steps} local steps from the sync point; the partition's epoch may end first. */
    Replica advance(SyncPoint from, int steps, int partition) {
        long start = System.nanoTime();
        TrainingState before = from.replicaState(trainer.stepsPerEpoch());
        if (before.stepInEpoch() >= trainer.stepsPerEpoch()) {
            return new Replica(partition, 0, 0, null, from.updates(), 0, 0, System.nanoTime() - start, description);
        }
        TrainingState after = trainer.advance(before, steps);
        int taken = Math.toIntExact(after.step() - before.step());
        long firstRow = (long) before.stepInEpoch() * trainer.batchSize();
        long samples = Math.min((long) (before.stepInEpoch() + taken) * trainer.batchSize(), trainRows) - firstRow;
        SyncPoint point = SyncPoint.of(after.parameters(), after.optimizer(), 0, 0);
        return new Replica(partition, samples, taken, point.tensors(), after.optimizer().updates(), after.epochLossSum(),
                after.epochCorrect(), System.nanoTime() - start, description);
    }

    /** {loss sum, correct, samples} of the sync point's parameters on this partition's test rows. */
    double[] evaluate(SyncPoint at) {
        if (test == null) {
            return new double[3];
        }
        trainer.network().upload(at.parameters());
        Evaluation e = evaluator.evaluate(trainer.network(), test);
        return new double[] {e.loss() * e.samples(), classification ? e.accuracy() * e.samples() : 0, e.samples()};
    }

    String description() {
        return description;
    }

    private static String executorName() {
        SparkEnv env = SparkEnv.get();
        String id = env == null ? "?" : env.executorId();
        String host = env == null ? "?" : env.blockManager().blockManagerId().host();
        return String.format(Locale.ROOT, "executor %s (%s)", id, host);
    }

    /** The first GPU address Spark assigned to this task ({@code spark.task.resource.gpu.amount}), or null. */
    private static String assignedGpu() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return null;
        }
        ResourceInformation gpu = task.resourcesJMap().get("gpu");
        return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                // closing after a failure: the first error is the one to report
            }
        }
        owned.clear();
        if (backend != null) {
            backend.close();
        }
    }
}
