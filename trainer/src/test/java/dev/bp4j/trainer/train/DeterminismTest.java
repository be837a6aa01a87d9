package dev.bp4j.trainer.train;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Same seed, backend and device: identical weights after an epoch, on every backend present
 * (OpenCL is skipped loudly where no device exists). Across backends the float32 sums are taken
 * in different orders, so the CPU backend is held to the reference within a stated tolerance.
 */
class DeterminismTest {

    private static final NetworkSpec SPEC = NetworkSpec.of(new int[] {2, 32, 16, 4}, Activation.RELU, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
    private static final DataSplit DATA = SyntheticData.blobs(4, 100, 10, 31);
    private static final TrainingSettings ONE_EPOCH = new TrainingSettings(1, 32, 9, OptimizerSettings.of(OptimizerKind.MOMENTUM, 0.05f));
    /**
     * One epoch (13 steps) of momentum SGD from the same start: each step's rounding differences
     * (about 1e-7 relative per operation) are carried and slightly amplified by later steps. The
     * measured gap is 1.4e-7 (2 cores, JDK 25); the bound leaves an order of magnitude.
     */
    private static final double CPU_VERSUS_REFERENCE = 2e-6;

    static List<String> backends() {
        return Backends.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void theSameSeedGivesIdenticalWeightsAfterAnEpoch(String name) {
        try (Backend backend = EveryBackendTrainingTest.openOrSkip(name)) {
            NetworkParameters first = trainOneEpoch(backend);
            NetworkParameters second = trainOneEpoch(backend);
            ResumeTest.assertBitIdentical(first, second, name + ", two runs with seed " + ONE_EPOCH.seed());
        }
    }

    /**
     * OpenCL against the reference after the same 13 steps. Besides the summation order, a device
     * compiler may contract a·b + c into one fused multiply-add; the bound allows for that on a
     * GPU. The gap measured on PoCL is printed by the test; a broken kernel the contract suite
     * might pass in isolation (a bias-gradient reduction, say) moves the weights by orders more.
     */
    private static final double OPENCL_VERSUS_REFERENCE = 1e-5;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void eachBackendMatchesTheReferenceWithinItsStatedTolerance(String name) {
        NetworkParameters reference;
        NetworkParameters other;
        try (Backend backend = Backends.open("reference")) {
            reference = trainOneEpoch(backend);
        }
        try (Backend backend = EveryBackendTrainingTest.openOrSkip(name)) {
            other = trainOneEpoch(backend);
        }
        double worst = 0;
        for (int l = 0; l < SPEC.layerCount(); l++) {
            worst = Math.max(worst, largestDifference(reference.weights().get(l), other.weights().get(l)));
            worst = Math.max(worst, largestDifference(reference.biases().get(l), other.biases().get(l)));
        }
        double bound = name.equals("cpu") ? CPU_VERSUS_REFERENCE : OPENCL_VERSUS_REFERENCE;
        System.out.printf("%s versus reference after one epoch: largest |Δ| / (1 + |w|) = %.3g%n", name, worst);
        assertTrue(worst <= bound, name + ": largest relative difference " + worst + " > " + bound);
    }

    private static double largestDifference(float[] expected, float[] actual) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]) / (1 + Math.abs(expected[i])));
        }
        return worst;
    }

    private static NetworkParameters trainOneEpoch(Backend backend) {
        try (Trainer trainer = new Trainer(backend, SPEC, DATA, ONE_EPOCH)) {
            trainer.train(new TrainingListener() { });
            return trainer.network().download();
        }
    }

    /**
     * The cpu backend's bits depend on neither the run nor the thread count: a 2-256-512-10
     * sigmoid network at batch 128, where the products (from 2¹⁹ flops) and the elementwise work
     * (from 2¹⁵ elements a thread: the 128 × 512 activations, the 512 × 256 weights and their
     * update) all split across threads, trained 45 steps with Adam, then 45 with momentum and the
     * recipe's dropout, input dropout, weight decay and clipping, so every kernel of a step runs
     * split. Stronger than the "within a tolerance across thread counts": equal bits,
     * because no reduction's order depends on the split.
     */
    @Test
    void theCpuThreadCountChangesNoBit() {
        TrainingSettings adam = new TrainingSettings(9, 128, 5, OptimizerSettings.of(OptimizerKind.ADAM, 0.003f));
        TrainingSettings recipe = new TrainingSettings(9, 128, 5, OptimizerSettings.of(OptimizerKind.MOMENTUM, 0.05f),
                TrainingRecipe.NONE.withDropout(0.3f).withInputDropout(0.1f).withWeightDecay(1e-3f, false).withClipNorm(0.5f));
        for (TrainingSettings settings : List.of(adam, recipe)) {
            NetworkParameters one = trainOnCpu(1, settings);
            String what = settings.optimizer().kind() + " " + settings.recipe();
            ResumeTest.assertBitIdentical(one, trainOnCpu(1, settings), "cpu, one thread, two runs, " + what);
            ResumeTest.assertBitIdentical(one, trainOnCpu(2, settings), "cpu, one thread against two, " + what);
            ResumeTest.assertBitIdentical(one, trainOnCpu(3, settings), "cpu, one thread against three, " + what);
        }
    }

    private static NetworkParameters trainOnCpu(int threads, TrainingSettings settings) {
        NetworkSpec spec = NetworkSpec.of(new int[] {2, 256, 512, 10}, Activation.SIGMOID, LossFunction.SOFTMAX_CROSS_ENTROPY, true);
        DataSplit data = SyntheticData.blobs(10, 64, 10, 3);
        try (Backend backend = Backends.open("cpu", new BackendOptions(threads, null, true), message -> { });
             Trainer trainer = new Trainer(backend, spec, data, settings)) {
            trainer.train(new TrainingListener() { });
            return trainer.network().download();
        }
    }
}
