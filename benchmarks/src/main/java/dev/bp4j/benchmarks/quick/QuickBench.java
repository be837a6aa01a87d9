package dev.bp4j.benchmarks.quick;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendProvider;
import dev.bp4j.api.Backends;
import dev.bp4j.api.Matrix;
import dev.bp4j.api.ProcessorCores;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.trainer.train.EpochSummary;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.Trainer;
import dev.bp4j.trainer.train.TrainingListener;
import dev.bp4j.trainer.train.TrainingResult;
import dev.bp4j.trainer.train.TrainingSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The quick subset behind {@code bp4j bench}, for a first look on any machine in a minute or
 * two; the JMH suite in {@code benchmarks/} is the careful measurement. Per backend:
 * <ul>
 *   <li>square SGEMM at each size (128, 256, 512 and 1024 by default), each product checked
 *       against the reference backend ({@link GemmAgreement}) before it is timed, each call
 *       timed until the backend finished;</li>
 *   <li>training throughput of a 784-256-256-10 MLP (sigmoid, softmax cross-entropy, momentum
 *       0.9, learning rate 0.1, batch 128) on seeded synthetic data of Fashion-MNIST's shape,
 *       after a short run whose loss must match the reference backend's.</li>
 * </ul>
 */
public final class QuickBench {

    static final int[] NETWORK = {SyntheticData.FEATURES, 256, 256, SyntheticData.CLASSES};
    static final int BATCH = 128;
    static final float LEARNING_RATE = 0.1f;
    private static final int TRAIN_SAMPLES = 8192;
    private static final int TEST_SAMPLES = 512;
    /** The first epoch warms up; the others are measured. */
    private static final int EPOCHS = 3;
    private static final int AGREEMENT_SAMPLES = 512;
    private static final double LOSS_RELATIVE_TOLERANCE = 1e-3;
    private static final long SEED = 7;

    private QuickBench() {
    }

    public static BenchReport run(BenchSettings settings, Consumer<String> log) {
        BackendOptions options = new BackendOptions(settings.threads(), null, true);
        List<String> names = settings.backends().isEmpty() ? usableContenders(options, log) : settings.backends();
        List<String> devices = new ArrayList<>();
        List<GemmResult> gemm = new ArrayList<>();
        List<TrainingThroughput> training = new ArrayList<>();
        RateMeter meter = new RateMeter(settings.seconds());
        for (String name : names) {
            try (Backend backend = Backends.open(name, options, log)) {
                devices.add(name + ": " + backend.deviceDescription());
                for (int n : settings.sizes()) {
                    if (name.equals("reference") && n > BenchSettings.REFERENCE_LARGEST_N) {
                        log.accept("reference: not timing gemm n=" + n + ", the scalar oracle would take minutes");
                        continue;
                    }
                    GemmResult result = gemm(backend, n, meter);
                    log.accept(String.format(Locale.ROOT, "%s: gemm n=%d %.1f GFLOP/s", name, n, result.gflops()));
                    gemm.add(result);
                }
                TrainingThroughput throughput = training(backend);
                log.accept(String.format(Locale.ROOT, "%s: training %.0f samples/s", name, throughput.samplesPerSecond()));
                training.add(throughput);
            }
        }
        String machine = ProcessorCores.available() + " cores, " + Runtime.getRuntime().availableProcessors()
                + " hardware threads, " + System.getProperty("os.arch")
                + ", Java " + Runtime.version();
        return new BenchReport(machine, devices, gemm, training);
    }

    private static List<String> usableContenders(BackendOptions options, Consumer<String> log) {
        List<String> names = new ArrayList<>();
        for (BackendProvider provider : Backends.providers()) {
            if (provider.name().equals("reference")) {
                continue;
            }
            provider.unavailableReason(options, false).ifPresentOrElse(
                    reason -> log.accept("not benchmarking " + provider.name() + ": " + reason),
                    () -> names.add(provider.name()));
        }
        if (names.isEmpty()) {
            log.accept("no backend but reference is usable here; benchmarking reference");
            names.add("reference");
        }
        return names;
    }

    private static GemmResult gemm(Backend backend, int n, RateMeter meter) {
        SplittableRandom random = new SplittableRandom(SEED + n);
        float[] a = uniform(random, n * n);
        float[] b = uniform(random, n * n);
        try (Matrix ma = backend.allocate(n, n); Matrix mb = backend.allocate(n, n); Matrix mc = backend.allocate(n, n)) {
            backend.upload(a, ma);
            backend.upload(b, mb);
            backend.gemm(false, false, 1f, ma, mb, 0f, mc);
            float[] c = new float[n * n];
            backend.download(mc, c);
            GemmAgreement.check(backend.name(), n, a, b, c);
            double callsPerSecond = meter.callsPerSecond(() -> {
                backend.gemm(false, false, 1f, ma, mb, 0f, mc);
                backend.sync();
            });
            return new GemmResult(backend.name(), n, callsPerSecond * 2.0 * n * n * n / 1e9);
        }
    }

    private static float[] uniform(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    private static TrainingThroughput training(Backend backend) {
        NetworkSpec network = NetworkSpec.of(NETWORK, Activation.SIGMOID, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        checkTrainingAgainstReference(backend, network);
        TrainingResult result = train(backend, network, SyntheticData.split(TRAIN_SAMPLES, TEST_SAMPLES, SEED), EPOCHS);
        List<EpochSummary> measured = result.epochs().subList(1, result.epochs().size());
        double seconds = measured.stream().mapToDouble(EpochSummary::seconds).sum();
        double samplesPerSecond = (double) TRAIN_SAMPLES * measured.size() / seconds;
        return new TrainingThroughput(backend.name(), network.architecture() + " " + Activation.SIGMOID.id()
                + ", softmax-ce, momentum, lr " + LEARNING_RATE, BATCH, samplesPerSecond);
    }

    /** One short epoch on the backend and on the reference from the same seed: the losses must agree. */
    private static void checkTrainingAgainstReference(Backend backend, NetworkSpec network) {
        DataSplit small = SyntheticData.split(AGREEMENT_SAMPLES, BATCH, SEED + 1);
        double actual = train(backend, network, small, 1).epochs().getFirst().trainLoss();
        double expected;
        try (Backend reference = Backends.open("reference")) {
            expected = train(reference, network, small, 1).epochs().getFirst().trainLoss();
        }
        if (!(Math.abs(actual - expected) <= LOSS_RELATIVE_TOLERANCE * Math.abs(expected) + 1e-6)) {
            throw new IllegalStateException("backend " + backend.name() + ": training loss " + actual
                    + " after one epoch, the reference gives " + expected + "; not timing a wrong result");
        }
    }

    private static TrainingResult train(Backend backend, NetworkSpec network, DataSplit data, int epochs) {
        TrainingSettings settings = new TrainingSettings(epochs, BATCH, SEED,
                OptimizerSettings.of(OptimizerKind.MOMENTUM, LEARNING_RATE));
        try (Trainer trainer = new Trainer(backend, network, data, settings)) {
            return trainer.train(new TrainingListener() { });
        }
    }
}
