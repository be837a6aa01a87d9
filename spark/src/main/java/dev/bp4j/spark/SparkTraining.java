package dev.bp4j.spark;

import dev.bp4j.trainer.BuildInfo;
import dev.bp4j.trainer.checkpoint.Checkpoint;
import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.data.FeatureScaling;
import dev.bp4j.trainer.model.SavedModel;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.trainer.train.Evaluation;
import dev.bp4j.trainer.train.TrainingSettings;
import dev.bp4j.trainer.train.TrainingState;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Synchronous data-parallel training on Spark. Each partition is a replica: it loads its rows
 * inside its executor, opens its own backend and takes local steps with a {@link
 * dev.bp4j.trainer.train.Trainer}. Every {@code syncEvery} local steps (and at each epoch's end)
 * the driver combines the replicas' parameters and optimizer states, weighted by the samples
 * each stepped over, along a tree of depth 2 ({@link ReplicaSum#combine}), broadcasts the combination and destroys the
 * previous broadcast; every replica continues from it. With plain SGD or momentum and
 * {@code syncEvery} 1 the combination is exactly the average of the replicas' gradients, so P
 * partitions of batch b take the steps of one process with batch P·b.
 *
 * <p>One round is one Spark job, and each task of a round is a pure function of the broadcast
 * state and its rows: a task that fails is retried, on the same executor or another, with the
 * same result.
 */
public final class SparkTraining {

    /** Hidden width when no layers are given, as in {@code bp4j train}. */
    static final int DEFAULT_HIDDEN = 64;
    private static final int TREE_DEPTH = 2;

    private SparkTraining() {
    }

    /**
     * Trains as {@code request} says on the cluster {@code sc} runs on, passing {@code log} each
     * line worth telling the user (where each replica runs, resumes, fallbacks).
     *
     * @throws DataFormatException   the data source does not exist or cannot be read
     * @throws ExecutorFailure       a task failed beyond Spark's retries; the message names the executor
     * @throws IOException           a checkpoint could not be written or read
     */
    public static SparkTrainingResult train(JavaSparkContext sc, SparkTrainingRequest request, Consumer<String> log)
            throws IOException, DataFormatException {
        checkSourceExists(sc, request.data().source());
        int partitions = request.partitions();
        DataPlan dataPlan = DataPlan.of(request.data(), partitions);
        byte[] data = dataPlan.toBytes();
        List<DataShape> shapes = onExecutors(() -> sc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
                .mapPartitions(ignored -> {
                    int p = TaskContext.getPartitionId();
                    DataShape found = DataShape.of(p, ExecutorData.partition(DataPlan.fromBytes(data), p), executorLocation());
                    return List.of(found.toBytes()).iterator();
                }).collect()).stream().map(DataShape::fromBytes).toList();
        DataShape shape = shapes.getFirst();
        int trainRows = shapes.stream().mapToInt(DataShape::trainRows).sum();
        if (shapes.stream().anyMatch(s -> s.trainRows() == 0)) {
            throw new IllegalArgumentException("partitions: " + partitions + " partitions for " + trainRows
                    + " training samples leave some with none; use at most " + trainRows);
        }
        NetworkSpec spec = networkFor(request, shape);
        TrainingSettings settings = request.settings();
        FeatureScaling scaling = shape.scaling();
        NetworkParameters initial = NetworkParameters.initialise(spec, settings.recipe().init(), new SplittableRandom(settings.seed()).split());
        SavedModel blank = new SavedModel(spec, initial, scaling, request.data(), shape.classification(), BuildInfo.version());

        SyncCheckpoints checkpoints = request.checkpointDir() == null ? null
                : new SyncCheckpoints(request.checkpointDir(), partitions, request.syncEvery());
        Optional<Checkpoint> resumed = request.resume() ? checkpoints.resumePoint(blank, settings, log) : Optional.empty();
        if (checkpoints != null && resumed.isEmpty()) {
            checkpoints.start();
        }
        RunPlan plan = RunPlan.of(UUID.randomUUID().toString(), dataPlan, spec, settings, request.backend(), request.threads(),
                request.strict());
        int[] stepsPerEpoch = shapes.stream().mapToInt(s -> (s.trainRows() + Math.min(settings.batchSize(), s.trainRows()) - 1)
                / Math.min(settings.batchSize(), s.trainRows())).toArray();
        Run run = new Run(sc, plan, pinned(sc, shapes), request, blank, checkpoints, Arrays.stream(stepsPerEpoch).max().orElseThrow(),
                trainRows, log);
        try {
            return run.train(resumed.map(Checkpoint::state).orElse(null));
        } finally {
            run.release();
        }
    }

    /**
     * The run's rounds, evaluations and checkpoints, driven from the driver. Task closures
     * capture the run plan and the sync point only as their {@link Wire} bytes.
     */
    private static final class Run {
        private final JavaSparkContext sc;
        private final RunPlan plan;
        private final byte[] planBytes;
        private final JavaRDD<Integer> replicas;
        private final SparkTrainingRequest request;
        private final SavedModel blank;
        private final SyncCheckpoints checkpoints;
        private final int longestEpoch;
        private final int trainRows;
        private final Consumer<String> log;
        private Broadcast<byte[]> shared;

        Run(JavaSparkContext sc, RunPlan plan, JavaRDD<Integer> replicas, SparkTrainingRequest request, SavedModel blank,
            SyncCheckpoints checkpoints, int longestEpoch, int trainRows, Consumer<String> log) {
            this.sc = sc;
            this.plan = plan;
            this.planBytes = plan.toBytes();
            this.replicas = replicas;
            this.request = request;
            this.blank = blank;
            this.checkpoints = checkpoints;
            this.longestEpoch = longestEpoch;
            this.trainRows = trainRows;
            this.log = log;
        }

        SparkTrainingResult train(TrainingState resumed) throws IOException {
            SyncPoint point = resumed == null
                    ? SyncPoint.of(blank.parameters(), SyncPoint.freshOptimizer(plan.optimizer(), blank.parameters()), 0, 0)
                    : SyncPoint.of(resumed.parameters(), resumed.optimizer(), resumed.epochsDone(), resumed.stepInEpoch());
            double lossSum = resumed == null ? 0 : resumed.epochLossSum();
            double correct = resumed == null ? 0 : resumed.epochCorrect();
            long step = resumed == null ? 0 : resumed.step();
            long lastCheckpointStep = step;
            shared = sc.broadcast(point.toBytes());
            int syncEvery = request.syncEvery();
            Map<Integer, String> workers = new TreeMap<>();
            List<SyncedEpoch> epochs = new ArrayList<>();
            Evaluation test = null;
            for (int epoch = point.epochsDone() + 1; epoch <= plan.epochs(); epoch++) {
                int syncs = 0;
                long samples = 0;
                long computeNanos = 0;
                long wallNanos = 0;
                boolean ended = false;
                while (!ended) {
                    long start = System.nanoTime();
                    Broadcast<byte[]> from = shared;
                    byte[] run = planBytes;
                    ReplicaSum sum = onExecutors(() -> ReplicaSum.combine(replicas.<byte[]>mapPartitions((Iterator<Integer> ignored) -> {
                        int p = TaskContext.getPartitionId();
                        RunPlan executing = RunPlan.fromBytes(run);
                        Replica replica = PartitionWorker.with(executing, p,
                                w -> w.advance(PartitionWorker.received(executing, from), syncEvery, p));
                        return List.of(new ReplicaSum().add(replica).toBytes()).iterator();
                    }), TREE_DEPTH));
                    int reached = Math.min(point.stepInEpoch() + syncEvery, longestEpoch);
                    ended = reached == longestEpoch;
                    step += reached - point.stepInEpoch();
                    point = point.withTensors(sum.mean(), sum.updates(), ended ? epoch : epoch - 1, ended ? 0 : reached);
                    shared = sc.broadcast(point.toBytes());
                    from.destroy();
                    long wall = System.nanoTime() - start;
                    wallNanos += wall;
                    computeNanos += Math.min(wall, sum.slowestComputeNanos());
                    syncs++;
                    samples += sum.samples();
                    lossSum += sum.lossSum();
                    correct += sum.correct();
                    if (workers.isEmpty()) {
                        workers.putAll(sum.workers());
                        workers.forEach((p, w) -> log.accept("partition " + p + " on " + w));
                    }
                    boolean due = request.checkpointEverySteps() > 0
                            && step / request.checkpointEverySteps() > lastCheckpointStep / request.checkpointEverySteps();
                    if (checkpoints != null && due && !ended) {
                        checkpoint(point, step, (float) lossSum, (float) correct);
                        lastCheckpointStep = step;
                    }
                }
                test = evaluate();
                epochs.add(new SyncedEpoch(epoch, syncs, samples, lossSum / trainRows,
                        blank.classification() ? correct / trainRows : Double.NaN, test, wallNanos / 1e9, computeNanos / 1e9,
                        (wallNanos - computeNanos) / 1e9));
                lossSum = 0;
                correct = 0;
                boolean due = request.checkpointEverySteps() == 0
                        || step / request.checkpointEverySteps() > lastCheckpointStep / request.checkpointEverySteps();
                if (checkpoints != null && (due || epoch == plan.epochs())) {
                    checkpoint(point, step, 0, 0);
                    lastCheckpointStep = step;
                }
            }
            if (test == null) {
                test = evaluate();
            }
            return new SparkTrainingResult(model(point), epochs, test, workers);
        }

        private void checkpoint(SyncPoint point, long step, float lossSum, float correct) throws IOException {
            TrainingState state = new TrainingState(point.parameters(), point.optimizer(), point.epochsDone(), point.stepInEpoch(), step,
                    lossSum, correct);
            checkpoints.save(new SavedModel(blank.spec(), state.parameters(), blank.scaling(), blank.data(), blank.classification(),
                    blank.version()), plan.settings(), state);
        }

        private SavedModel model(SyncPoint point) {
            return new SavedModel(blank.spec(), point.parameters(), blank.scaling(), blank.data(), blank.classification(),
                    blank.version());
        }

        /** The broadcast model on every partition's test rows. */
        private Evaluation evaluate() {
            Broadcast<byte[]> at = shared;
            byte[] run = planBytes;
            double[] totals = onExecutors(() -> replicas.<double[]>mapPartitions((Iterator<Integer> ignored) -> {
                int p = TaskContext.getPartitionId();
                RunPlan executing = RunPlan.fromBytes(run);
                double[] sums = PartitionWorker.with(executing, p, w -> w.evaluate(PartitionWorker.received(executing, at)));
                return List.of(sums).iterator();
            }).reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]}));
            int n = (int) totals[2];
            return new Evaluation(n, totals[0] / n, blank.classification() ? totals[1] / n : Double.NaN);
        }

        /** Closes the replicas' backends and drops their data; in cluster mode, on the executors this job reaches. */
        void release() {
            if (shared != null) {
                shared.destroy();
            }
            byte[] run = planBytes;
            try {
                replicas.foreachPartition(ignored -> PartitionWorker.release(RunPlan.fromBytes(run)));
            } catch (RuntimeException e) {
                log.accept("warning: releasing the replicas: " + e.getMessage());
            }
        }
    }

    private static NetworkSpec networkFor(SparkTrainingRequest request, DataShape shape) {
        int[] widths = request.layers() != null ? request.layers() : new int[] {shape.features(), DEFAULT_HIDDEN, shape.targets()};
        if (widths[0] != shape.features() || widths[widths.length - 1] != shape.targets()) {
            throw new IllegalArgumentException("--layers " + String.join(",", Arrays.stream(widths).mapToObj(Integer::toString).toList())
                    + ": " + request.data().source() + " has " + shape.features() + " features and " + shape.targets()
                    + (shape.classification() ? " classes" : " targets") + ", so the widths must start with " + shape.features()
                    + " and end with " + shape.targets());
        }
        LossFunction loss = request.loss() != null ? request.loss()
                : !shape.classification() ? LossFunction.QUADRATIC
                : shape.targets() == 1 ? LossFunction.SIGMOID_CROSS_ENTROPY : LossFunction.SOFTMAX_CROSS_ENTROPY;
        return NetworkSpec.of(widths, request.activation(), loss, shape.classification());
    }

    /** A missing path fails here, on the driver, before any executor starts loading. */
    private static void checkSourceExists(JavaSparkContext sc, String source) throws DataFormatException, IOException {
        if (ExecutorData.isNamed(source)) {
            return;
        }
        Path path = new Path(source);
        FileSystem fs = path.getFileSystem(sc.hadoopConfiguration());
        if (!fs.exists(path)) {
            throw new DataFormatException(source + ": no such file or folder; expected digits, xor, fashion-mnist, or a "
                    + "Hadoop-readable folder of IDX files or .csv/.csv.gz file");
        }
    }

    /** One partition per replica, each preferring the executor that loaded its rows. */
    private static JavaRDD<Integer> pinned(JavaSparkContext sc, List<DataShape> shapes) {
        List<Tuple2<Integer, Seq<String>>> located = new ArrayList<>();
        for (DataShape s : shapes) {
            located.add(new Tuple2<>(s.partition(), CollectionConverters.asScala(List.of(s.executorLocation())).toList()));
        }
        ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
        return JavaRDD.fromRDD(sc.sc().makeRDD(CollectionConverters.asScala(located).toList(), tag), tag);
    }

    /** Spark's name of this executor as a preferred location. */
    private static String executorLocation() {
        SparkEnv env = SparkEnv.get();
        return "executor_" + env.blockManager().blockManagerId().host() + "_" + env.executorId();
    }

    /**
     * Runs a Spark action; a job that failed because a task threw an {@link ExecutorFailure}
     * fails with that one line.
     */
    private static <T> T onExecutors(Supplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof ExecutorFailure failure) {
                    throw new ExecutorFailure(failure.getMessage(), e);
                }
            }
            if (e instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
