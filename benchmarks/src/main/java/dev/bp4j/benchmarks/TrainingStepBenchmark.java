package dev.bp4j.benchmarks;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import dev.bp4j.trainer.data.FeatureScaling;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import dev.bp4j.trainer.train.Trainer;
import dev.bp4j.trainer.train.TrainingListener;
import dev.bp4j.trainer.train.TrainingResult;
import dev.bp4j.trainer.train.TrainingSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;

/**
 * Training steps of an MLP through the real {@link Trainer} (784-256-256-10, sigmoid hidden
 * layers, softmax cross-entropy, momentum 0.9, learning rate 0.1, batch 128 by default) over a
 * seeded synthetic data set of {@value #SAMPLES} samples resident on the backend: the shape of
 * the Fashion-MNIST comparison with PyTorch. One invocation is one epoch ({@value #SAMPLES} /
 * batch steps); {@code epoch:samples} gives training samples per second.
 *
 * <p>Each invocation trains a fresh trainer (built outside the timing) from the same seed, so
 * every epoch does the same work. Before timing, one epoch on the backend under test and one on
 * an oracle must agree parameter by parameter. The oracle is the reference backend, except for
 * products its plain loops would take minutes over; those are checked against the cpu backend,
 * which the contract suite holds to the reference.
 */
public class TrainingStepBenchmark extends BackendBenchmark {

    private static final long SEED = 20_240_005L;
    static final int SAMPLES = 4096;
    /** Parameters after an epoch: float rounding in sums and exp, compounded through the layers. */
    private static final double PARAMETER_ABSOLUTE = 1e-5;
    private static final double PARAMETER_RELATIVE = 1e-3;
    /** Multiply-adds per epoch up to which the reference backend is the oracle (seconds, not minutes). */
    private static final long REFERENCE_ORACLE_LIMIT = 1L << 34;

    /** Layer widths, input first, e.g. 784,256,256,10. */
    @Param({"784,256,256,10"})
    public String layers;

    @Param({"128"})
    public int batch;

    @Param({"sigmoid"})
    public String activation;

    private NetworkSpec spec;
    private DataSplit data;
    private TrainingSettings settings;
    private Trainer trainer;

    @Setup
    public void prepare() {
        openTested();
        int[] widths = LayerWidths.parse("layers", layers);
        spec = NetworkSpec.of(widths, Activation.fromId(activation), LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        data = syntheticSplit(widths[0], widths[widths.length - 1], batch);
        settings = new TrainingSettings(1, batch, SEED, new OptimizerSettings(OptimizerKind.MOMENTUM, 0.1f,
                OptimizerSettings.DEFAULT_MOMENTUM, 0.9f, 0.999f, 1e-8f));
        String oracleName = multiplyAddsPerEpoch(widths) <= REFERENCE_ORACLE_LIMIT ? "reference" : "cpu";
        try (Backend oracleBackend = Backends.open(oracleName);
             Trainer oracle = new Trainer(oracleBackend, spec, data, settings);
             Trainer checked = new Trainer(tested, spec, data, settings)) {
            oracle.train(new TrainingListener() { });
            checked.train(new TrainingListener() { });
            compareParameters(new ParityCheck(trialName() + " layers=" + layers + " batch=" + batch + " against " + oracleName),
                    oracle.network().download(), checked.network().download());
        }
    }

    /** Seeded features in [0, 1) and one-hot classes; a test part of one batch keeps evaluation short. */
    private static DataSplit syntheticSplit(int features, int classes, int batch) {
        SeededInputs seeded = new SeededInputs(SEED);
        Dataset train = new Dataset("synthetic", SAMPLES, features, classes, seeded.uniform((long) SAMPLES * features, 0f, 1f),
                seeded.oneHot(SAMPLES, classes));
        int testRows = Math.min(batch, SAMPLES);
        Dataset test = new Dataset("synthetic test", testRows, features, classes, seeded.uniform((long) testRows * features, 0f, 1f),
                seeded.oneHot(testRows, classes));
        return new DataSplit("synthetic", train, test, FeatureScaling.identity(features), true);
    }

    /** Forward, input-gradient and weight-gradient products of every layer: three per weight and sample. */
    private static long multiplyAddsPerEpoch(int[] widths) {
        long weights = 0;
        for (int layer = 1; layer < widths.length; layer++) {
            weights += (long) widths[layer - 1] * widths[layer];
        }
        return 3 * weights * SAMPLES;
    }

    private static void compareParameters(ParityCheck check, NetworkParameters expected, NetworkParameters actual) {
        compareAll(check, "weights", expected.weights(), actual.weights());
        compareAll(check, "biases", expected.biases(), actual.biases());
    }

    private static void compareAll(ParityCheck check, String kind, List<float[]> expected, List<float[]> actual) {
        for (int l = 0; l < expected.size(); l++) {
            float[] reference = expected.get(l);
            double[] allowed = new double[reference.length];
            for (int i = 0; i < reference.length; i++) {
                allowed[i] = PARAMETER_ABSOLUTE + PARAMETER_RELATIVE * Math.abs(reference[i]);
            }
            check.within(kind + " of layer " + (l + 1) + " after one epoch", reference.length, reference, allowed, actual.get(l));
        }
    }

    @Setup(Level.Invocation)
    public void freshTrainer() {
        trainer = new Trainer(tested, spec, data, settings);
    }

    @Benchmark
    public TrainingResult epoch(SampleRate rate) {
        TrainingResult result = trainer.train(new TrainingListener() { });
        rate.samples += SAMPLES;
        return result;
    }

    @TearDown(Level.Invocation)
    public void closeTrainer() {
        trainer.close();
    }
}
