package dev.bp4j.benchmarks;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.api.Matrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;

/**
 * One whole training step of an MLP (784-256-256-10, sigmoid hidden layers, softmax
 * cross-entropy, momentum 0.9, learning rate 0.1, batch 128 by default) on a seeded synthetic
 * data set of {@value #SAMPLES} samples resident on the backend, the shape of the Fashion-MNIST
 * comparison with PyTorch. {@code trainingStep:samples} gives training samples per second.
 *
 * <p>Before timing, {@value #VALIDATION_STEPS} steps from the same initial weights run on the
 * backend under test and on an oracle; their losses and every parameter must agree. The oracle is
 * the reference backend, except for steps its plain loops would take minutes over
 * (784-4096-4096-10 at batch 4096 is 0.25 T multiply-adds a step); those are checked against the
 * cpu backend, which the contract suite holds to the reference.
 */
public class TrainingStepBenchmark extends BackendBenchmark {

    private static final long SEED = 20_240_005L;
    static final int SAMPLES = 4096;
    private static final int VALIDATION_STEPS = 3;
    /** Parameters after a few steps: float rounding in sums and exp, compounded through the layers. */
    private static final double PARAMETER_ABSOLUTE = 1e-5;
    private static final double PARAMETER_RELATIVE = 1e-3;
    /** Multiply-adds per step up to which the reference backend is the oracle (a few seconds a step at most). */
    private static final long REFERENCE_ORACLE_LIMIT = 1L << 30;

    /** Layer widths, input first, e.g. 784,256,256,10. */
    @Param({"784,256,256,10"})
    public String layers;

    @Param({"128"})
    public int batch;

    @Param({"sigmoid"})
    public String activation;

    private MlpTrainingStep training;

    @Setup
    public void prepare() {
        openTested();
        int[] widths = LayerWidths.parse("layers", layers);
        Activation hidden = Activation.fromId(activation);
        SeededInputs seeded = new SeededInputs(SEED);
        HostMatrix features = HostMatrix.uniform(seeded, SAMPLES, widths[0], 0f, 1f);
        HostMatrix targets = new HostMatrix(SAMPLES, widths[widths.length - 1], seeded.oneHot(SAMPLES, widths[widths.length - 1]));
        int[] order = seeded.permutation(SAMPLES);
        List<HostMatrix> initial = MlpTrainingStep.initialWeights(seeded, widths);

        training = new MlpTrainingStep(tested, widths, hidden, batch, features, targets, order, initial);
        String oracleName = multiplyAddsPerStep(widths, batch) <= REFERENCE_ORACLE_LIMIT ? "reference" : "cpu";
        try (Backend oracleBackend = Backends.open(oracleName);
             MlpTrainingStep oracle = new MlpTrainingStep(oracleBackend, widths, hidden, batch, features, targets, order, initial)) {
            ParityCheck check = new ParityCheck(trialName() + " layers=" + layers + " batch=" + batch + " against " + oracleName);
            for (int s = 1; s <= VALIDATION_STEPS; s++) {
                training.step();
                oracle.step();
                double expected = oracle.lastLossSum();
                check.compare("loss of step " + s, 0, 0, expected,
                        PARAMETER_ABSOLUTE * batch + PARAMETER_RELATIVE * Math.abs(expected), (float) training.lastLossSum());
            }
            compareParameters(check, oracle.parameters(), training.parameters());
        }
    }

    /** Forward, input-gradient and weight-gradient products of every layer: three per weight. */
    private static long multiplyAddsPerStep(int[] widths, int batch) {
        long weights = 0;
        for (int layer = 1; layer < widths.length; layer++) {
            weights += (long) widths[layer - 1] * widths[layer];
        }
        return 3 * weights * batch;
    }

    private static void compareParameters(ParityCheck check, List<HostMatrix> expected, List<HostMatrix> actual) {
        for (int p = 0; p < expected.size(); p++) {
            String name = (p % 2 == 0 ? "weights" : "biases") + " of layer " + (p / 2 + 1) + " after " + VALIDATION_STEPS + " steps";
            float[] reference = expected.get(p).values();
            double[] allowed = new double[reference.length];
            for (int i = 0; i < reference.length; i++) {
                allowed[i] = PARAMETER_ABSOLUTE + PARAMETER_RELATIVE * Math.abs(reference[i]);
            }
            check.within(name, expected.get(p).cols(), reference, allowed, actual.get(p).values());
        }
    }

    @Benchmark
    public Matrix trainingStep(SampleRate rate) {
        Matrix rowLoss = training.step();
        tested.sync();
        rate.samples += batch;
        return rowLoss;
    }

    @TearDown
    public void closeTraining() {
        if (training != null) {
            training.close();
            training = null;
        }
    }
}
