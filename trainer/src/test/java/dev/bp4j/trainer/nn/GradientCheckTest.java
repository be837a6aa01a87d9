package dev.bp4j.trainer.nn;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.api.Matrix;
import dev.bp4j.trainer.train.Optimizer;
import dev.bp4j.trainer.train.OptimizerKind;
import dev.bp4j.trainer.train.OptimizerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analytic gradients of the backward pass, run on the reference backend, against central
 * finite differences of a float64 host forward pass at the same (float32) parameters.
 *
 * <p>The error measure per tensor is ‖g − ĝ‖ / max(‖g‖ + ‖ĝ‖, tiny): normwise, so a tiny
 * gradient element that float32 rounding dominates does not fail the check, while a wrong
 * equation (a missing σ′, a transposed product, a lost 1/batch) is off by order one.
 */
class GradientCheckTest {

    /** Each tensor of a one-hidden-layer network: the equations one at a time. */
    private static final double PER_OPERATION_TOLERANCE = 1e-5;
    /** All parameters of a deeper network together, after float32 errors compound through its layers. */
    private static final double WHOLE_NETWORK_TOLERANCE = 1e-3;
    private static final double STEP = 1e-6;
    private static final int BATCH = 5;

    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.open("reference");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    static Stream<Arguments> everyActivationAndLoss() {
        List<Arguments> cases = new ArrayList<>();
        for (Activation hidden : List.of(Activation.SIGMOID, Activation.TANH, Activation.RELU)) {
            cases.add(Arguments.of(hidden, LossFunction.SOFTMAX_CROSS_ENTROPY, Activation.IDENTITY, 3));
            cases.add(Arguments.of(hidden, LossFunction.SIGMOID_CROSS_ENTROPY, Activation.IDENTITY, 1));
            cases.add(Arguments.of(hidden, LossFunction.SIGMOID_CROSS_ENTROPY, Activation.IDENTITY, 3));
            cases.add(Arguments.of(hidden, LossFunction.QUADRATIC, Activation.SIGMOID, 2));
            cases.add(Arguments.of(hidden, LossFunction.QUADRATIC, Activation.IDENTITY, 2));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} hidden, {1} on {2} outputs ×{3}")
    @MethodSource("everyActivationAndLoss")
    void eachLayerGradientMatchesFiniteDifferencesAtInitialisation(Activation hidden, LossFunction loss, Activation output, int outputs) {
        NetworkSpec spec = new NetworkSpec(new int[] {4, 6, outputs}, hidden, output, loss);
        SplittableRandom random = new SplittableRandom(hidden.ordinal() * 31L + loss.ordinal() * 7L + outputs);
        Problem problem = Problem.random(spec, random);
        NetworkParameters parameters = NetworkParameters.initialise(spec, random);
        // Zero biases would hide a wrong bias gradient's dependence on them; perturb them.
        randomiseBiases(parameters, random);
        checkEachTensor(spec, parameters, problem, PER_OPERATION_TOLERANCE);
    }

    @ParameterizedTest(name = "{0} hidden after 25 Adam steps")
    @MethodSource("hiddenActivations")
    void eachLayerGradientMatchesFiniteDifferencesAfterTraining(Activation hidden) {
        NetworkSpec spec = new NetworkSpec(new int[] {3, 5, 4, 3}, hidden, Activation.IDENTITY, LossFunction.SOFTMAX_CROSS_ENTROPY);
        SplittableRandom random = new SplittableRandom(99 + hidden.ordinal());
        Problem problem = Problem.random(spec, random);
        NetworkParameters trained = trainSteps(spec, NetworkParameters.initialise(spec, random), problem, 25);
        checkEachTensor(spec, trained, problem, PER_OPERATION_TOLERANCE);
    }

    static Stream<Activation> hiddenActivations() {
        return Stream.of(Activation.SIGMOID, Activation.TANH, Activation.RELU);
    }

    @Test
    void wholeDeeperNetworkMatchesFiniteDifferencesBeforeAndAfterTraining() {
        NetworkSpec spec = new NetworkSpec(new int[] {7, 9, 8, 6, 4}, Activation.TANH, Activation.SIGMOID, LossFunction.QUADRATIC);
        SplittableRandom random = new SplittableRandom(2024);
        Problem problem = Problem.random(spec, random);
        NetworkParameters initial = NetworkParameters.initialise(spec, random);
        assertWholeNetwork(spec, initial, problem);
        assertWholeNetwork(spec, trainSteps(spec, initial, problem, 40), problem);
    }

    @Test
    void theCheckCatchesAWrongGradient() {
        // The measure must fail when a gradient is off by a modest factor, or passing means nothing.
        double[] numeric = {0.3, -0.2, 0.1};
        double[] halved = {0.15, -0.1, 0.05};
        assertTrue(relativeError(halved, numeric) > 0.1);
        assertTrue(relativeError(numeric, numeric) == 0);
    }

    // ---- the checks -------------------------------------------------------------------------

    private static void checkEachTensor(NetworkSpec spec, NetworkParameters parameters, Problem problem, double tolerance) {
        NetworkParameters analytic = analyticGradients(spec, parameters, problem);
        NetworkParameters numeric = numericGradients(spec, parameters, problem);
        for (int l = 0; l < spec.layerCount(); l++) {
            double weightError = relativeError(toDouble(analytic.weights().get(l)), toDouble(numeric.weights().get(l)));
            double biasError = relativeError(toDouble(analytic.biases().get(l)), toDouble(numeric.biases().get(l)));
            assertTrue(weightError <= tolerance, spec + ": ∂C/∂W of layer " + l + " relative error " + weightError);
            assertTrue(biasError <= tolerance, spec + ": ∂C/∂b of layer " + l + " relative error " + biasError);
        }
    }

    private static void assertWholeNetwork(NetworkSpec spec, NetworkParameters parameters, Problem problem) {
        double error = relativeError(flatten(analyticGradients(spec, parameters, problem)), flatten(numericGradients(spec, parameters, problem)));
        assertTrue(error <= WHOLE_NETWORK_TOLERANCE, spec + ": whole-network relative error " + error);
    }

    /** The backend's gradients: forward, loss with δᴸ, backward, then the gradient buffers read back. */
    private static NetworkParameters analyticGradients(NetworkSpec spec, NetworkParameters parameters, Problem problem) {
        try (Network network = new Network(backend, spec, parameters);
             BatchWorkspace ws = new BatchWorkspace(backend, spec, BATCH)) {
            backpropagate(spec, network, ws, problem);
            List<float[]> weights = new ArrayList<>();
            List<float[]> biases = new ArrayList<>();
            for (DenseLayer layer : network.layers()) {
                weights.add(read(layer.weightGradient()));
                biases.add(read(layer.biasGradient()));
            }
            return new NetworkParameters(weights, biases);
        }
    }

    private static void backpropagate(NetworkSpec spec, Network network, BatchWorkspace ws, Problem problem) {
        backend.upload(problem.x, ws.input());
        backend.upload(problem.y, ws.targets());
        network.forward(ws);
        spec.loss().lossAndOutputDelta(backend, spec.outputActivation(), ws.output(), ws.targets(), 1f / BATCH,
                ws.outputDelta(), ws.rowLoss());
        network.backward(ws);
    }

    /** Central differences (C(θ + h) − C(θ − h)) / 2h of the host float64 loss, one parameter at a time. */
    private static NetworkParameters numericGradients(NetworkSpec spec, NetworkParameters parameters, Problem problem) {
        HostNetwork host = new HostNetwork(spec);
        double[][] w = new double[spec.layerCount()][];
        double[][] b = new double[spec.layerCount()][];
        for (int l = 0; l < spec.layerCount(); l++) {
            w[l] = toDouble(parameters.weights().get(l));
            b[l] = toDouble(parameters.biases().get(l));
        }
        double[] x = toDouble(problem.x);
        double[] y = toDouble(problem.y);
        List<float[]> gw = new ArrayList<>();
        List<float[]> gb = new ArrayList<>();
        for (int l = 0; l < spec.layerCount(); l++) {
            gw.add(differences(w[l], () -> host.meanLoss(w, b, x, y, BATCH)));
            gb.add(differences(b[l], () -> host.meanLoss(w, b, x, y, BATCH)));
        }
        return new NetworkParameters(gw, gb);
    }

    private static float[] differences(double[] values, DoubleSupplier loss) {
        float[] gradient = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            double saved = values[i];
            values[i] = saved + STEP;
            double plus = loss.getAsDouble();
            values[i] = saved - STEP;
            double minus = loss.getAsDouble();
            values[i] = saved;
            gradient[i] = (float) ((plus - minus) / (2 * STEP));
        }
        return gradient;
    }

    /** Adam steps on the reference backend through the trainer's own classes. */
    private static NetworkParameters trainSteps(NetworkSpec spec, NetworkParameters start, Problem problem, int steps) {
        try (Network network = new Network(backend, spec, start);
             BatchWorkspace ws = new BatchWorkspace(backend, spec, BATCH);
             Optimizer optimizer = Optimizer.open(backend,
                     OptimizerSettings.of(OptimizerKind.ADAM, 0.05f), network.parameters())) {
            for (int s = 0; s < steps; s++) {
                backpropagate(spec, network, ws, problem);
                optimizer.step(0.05f);
            }
            return network.download();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A batch of random inputs with targets valid for the loss (one-hot, 0/1, or in [0, 1]). */
    private record Problem(float[] x, float[] y) {
        static Problem random(NetworkSpec spec, SplittableRandom random) {
            float[] x = new float[BATCH * spec.inputs()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextDouble(-1.5, 1.5);
            }
            float[] y = new float[BATCH * spec.outputs()];
            for (int row = 0; row < BATCH; row++) {
                if (spec.loss() == LossFunction.SOFTMAX_CROSS_ENTROPY) {
                    y[row * spec.outputs() + random.nextInt(spec.outputs())] = 1f;
                } else {
                    for (int j = 0; j < spec.outputs(); j++) {
                        y[row * spec.outputs() + j] = spec.loss() == LossFunction.SIGMOID_CROSS_ENTROPY
                                ? random.nextInt(2) : (float) random.nextDouble();
                    }
                }
            }
            return new Problem(x, y);
        }
    }

    private static void randomiseBiases(NetworkParameters parameters, SplittableRandom random) {
        for (float[] bias : parameters.biases()) {
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) random.nextDouble(-0.5, 0.5);
            }
        }
    }

    static double relativeError(double[] analytic, double[] numeric) {
        double difference = 0;
        double a = 0;
        double n = 0;
        for (int i = 0; i < analytic.length; i++) {
            difference += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            a += analytic[i] * analytic[i];
            n += numeric[i] * numeric[i];
        }
        return Math.sqrt(difference) / Math.max(Math.sqrt(a) + Math.sqrt(n), 1e-30);
    }

    private static double[] flatten(NetworkParameters p) {
        List<Double> all = new ArrayList<>();
        for (int l = 0; l < p.layerCount(); l++) {
            for (float v : p.weights().get(l)) {
                all.add((double) v);
            }
            for (float v : p.biases().get(l)) {
                all.add((double) v);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] toDouble(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    private static float[] read(Matrix m) {
        float[] values = new float[Math.toIntExact(m.size())];
        backend.download(m, values);
        return values;
    }
}
