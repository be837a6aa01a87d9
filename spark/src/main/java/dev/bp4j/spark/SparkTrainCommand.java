package dev.bp4j.spark;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.DataSources;
import dev.bp4j.trainer.model.ModelFile;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.TrainingSettings;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bp4j-spark train}: {@code bp4j train}'s options where they apply, plus the partitions,
 * the sync interval and the backend each executor opens. The Spark master and resources come
 * from {@code spark-submit}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a multi-layer perceptron data-parallel: each partition steps on its own rows, the driver "
                + "combines the replicas' parameters and optimizer state every --sync-every local steps.",
        footer = "%nFor the cpu backend, executors need the Vector API module flag of bp4j's jvm.options in "
                + "spark.executor.extraJavaOptions (docs/scaling.md has the spark-submit line); an executor without it "
                + "says so when it opens its backend.")
final class SparkTrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "SOURCE", defaultValue = DataSources.DIGITS,
            description = "digits, xor, fashion-mnist, or a Hadoop-readable folder of IDX files or CSV file, "
                    + "read inside the executors (default: ${DEFAULT-VALUE})")
    private String data;

    @Option(names = "--layers", paramLabel = "W", split = ",", description = "every layer width, input first (default: features,64,outputs)")
    private int[] layers;

    @Option(names = "--activation", paramLabel = "F", defaultValue = "sigmoid", description = "hidden-layer activation: sigmoid, tanh, relu (default: ${DEFAULT-VALUE})")
    private String activation;

    @Option(names = "--loss", paramLabel = "LOSS", description = "softmax-ce, bce or mse (default: by the data, as bp4j train)")
    private String loss;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "momentum", description = "sgd, momentum or adam (default: ${DEFAULT-VALUE})")
    private String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", description = "learning rate (default: sgd 0.5, momentum 0.05, adam 0.003)")
    private Float learningRate;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "samples per local step of each partition (default: ${DEFAULT-VALUE})")
    private int batch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "passes over the training set (default: ${DEFAULT-VALUE})")
    private int epochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seeds the weights, the shuffles and the split (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--label-column", paramLabel = "N", defaultValue = "-1", description = "CSV: the 0-based label column; -1 = the last")
    private int labelColumn;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.2", description = "share held out when the data has no test part")
    private double testFraction;

    @Option(names = "--scaling", paramLabel = "METHOD", defaultValue = DataSources.AUTO_SCALING, description = "auto, none, minmax or standard")
    private String scaling;

    @Option(names = "--partitions", paramLabel = "P", description = "replicas, one task each (default: Spark's default parallelism)")
    private Integer partitions;

    @Option(names = "--sync-every", paramLabel = "K", defaultValue = "1",
            description = "local steps between combinations; 1 averages every step's gradients (default: ${DEFAULT-VALUE})")
    private int syncEvery;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "cpu",
            description = "backend in each executor: cpu, opencl (on the GPU Spark assigns the task), reference or auto (default: ${DEFAULT-VALUE})")
    private String backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "CPU backend threads per task (default: ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "--strict", description = "fail the job when an executor cannot open the backend, instead of falling back")
    private boolean strict;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "the driver saves checkpoints at sync points here")
    private Path checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", defaultValue = "0",
            description = "a checkpoint at the first sync point after every this many local steps; 0 = each epoch end")
    private int checkpointEvery;

    @Option(names = "--resume", description = "continue from the newest complete checkpoint in --checkpoint-dir")
    private boolean resume;

    @Option(names = "--save", paramLabel = "FILE.safetensors", description = "write the trained model here (bp4j eval and predict read it)")
    private Path save;

    @Option(names = "--report", paramLabel = "FILE.json", description = "write a JSON report with each epoch's compute and combine time")
    private Path report;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkOptions(partitions != null ? partitions : 1);
        SparkConf conf = new SparkConf().setAppName("bp4j-spark train");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            SparkTrainingRequest request = request(partitions != null ? partitions : sc.defaultParallelism());
            SparkTrainingResult result = SparkTraining.train(sc, request, line -> {
                err.println(line);
                err.flush();
            });
            for (SyncedEpoch e : result.epochs()) {
                out.printf(Locale.ROOT, "epoch %d: train loss %.4f, test accuracy %.4f, %d syncs, %.1f s (compute %.1f s, combine %.1f s), %,.0f samples/s%n",
                        e.epoch(), e.trainLoss(), e.test().accuracy(), e.syncs(), e.seconds(), e.computeSeconds(), e.combineSeconds(),
                        e.samplesPerSecond());
            }
            out.printf(Locale.ROOT, "%s: %d partitions, sync every %d, in %.2f s (%,.0f samples/s): test accuracy %.4f (%d samples)%n",
                    request.data().source(), request.partitions(), request.syncEvery(), result.trainSeconds(), result.samplesPerSecond(),
                    result.finalTest().accuracy(), result.finalTest().samples());
            if (save != null) {
                ModelFile.save(save, result.model());
                out.println("saved the model to " + save);
            }
            if (report != null) {
                SparkReport.write(report, request, result);
                out.println("wrote the report to " + report);
            }
            out.flush();
        }
        return 0;
    }

    /** Everything that can be checked before Spark starts; executors find the same backends the driver does. */
    private void checkOptions(int partitionCount) {
        if (!backend.equals(Backends.AUTO) && !Backends.names().contains(backend)) {
            throw usage("--backend: unknown backend '" + backend + "' (expected auto or one of " + String.join(", ", Backends.names()) + ")");
        }
        request(partitionCount);
    }

    private SparkTrainingRequest request(int partitionCount) {
        if (syncEvery < 1) {
            throw usage("--sync-every: expected at least 1, got " + syncEvery);
        }
        if (partitionCount < 1) {
            throw usage("--partitions: expected at least 1, got " + partitionCount);
        }
        if ((resume || checkpointEvery > 0) && checkpointDir == null) {
            throw usage((resume ? "--resume" : "--checkpoint-every") + " needs --checkpoint-dir");
        }
        OptimizerKind kind = parse("--optimizer", () -> OptimizerKind.fromId(optimizer));
        float lr = learningRate != null ? learningRate : kind.defaultLearningRate();
        TrainingSettings settings = parse("--lr/--batch/--epochs", () -> new TrainingSettings(epochs, batch, seed, OptimizerSettings.of(kind, lr)));
        Activation hidden = parse("--activation", () -> Activation.fromId(activation));
        LossFunction lossFunction = loss == null ? null : parse("--loss", () -> LossFunction.fromId(loss));
        DataRequest dataRequest = new DataRequest(normalisedSource(), labelColumn, testFraction, seed, scaling);
        return parse("options", () -> new SparkTrainingRequest(dataRequest, layers, hidden, lossFunction, settings, partitionCount,
                syncEvery, backend, threads, strict, checkpointDir, checkpointEvery, resume));
    }

    /** Local files are recorded as absolute paths, so bp4j eval finds them from any folder. */
    private String normalisedSource() {
        if (ExecutorData.isNamed(data) || ExecutorData.isRemote(data)) {
            return data;
        }
        Path path = Path.of(data);
        return Files.exists(path) ? path.toAbsolutePath().normalize().toString() : data;
    }

    private <T> T parse(String option, java.util.function.Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
