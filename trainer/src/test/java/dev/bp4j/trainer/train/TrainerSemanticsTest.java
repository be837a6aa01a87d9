package dev.bp4j.trainer.train;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import dev.bp4j.trainer.nn.HostNetwork;
import dev.bp4j.trainer.nn.LossFunction;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.NetworkSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link Trainer} does, checked against a host replay that shares none of its code: a step
 * of plain SGD must move every parameter by the learning rate times the finite-difference
 * gradient of the mean loss over exactly that step's rows (the partial last batch included,
 * whose mean is over its own rows), and two epochs must visit the data in two different
 * shuffled orders. On every backend on the class path (reference, cpu, opencl via PoCL).
 */
class TrainerSemanticsTest {

    /** Sigmoid hidden units: smooth, so central differences are accurate. */
    private static final NetworkSpec SPEC = NetworkSpec.of(new int[] {2, 4, 3}, Activation.SIGMOID,
            LossFunction.SOFTMAX_CROSS_ENTROPY, true);
    /** Nine samples in batches of 5: a full step, then a partial one of 4 rows. */
    private static final DataSplit DATA = SyntheticData.blobs(3, 3, 2, 41);
    private static final int BATCH = 5;
    private static final float LR = 0.5f;

    static List<String> backends() {
        return Backends.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void eachStepMovesTheWeightsByTheGradientOfItsOwnRowsMeanLossPartialBatchIncluded(String name) {
        TrainingSettings settings = new TrainingSettings(1, BATCH, 3, OptimizerSettings.of(OptimizerKind.SGD, LR));
        try (Backend backend = EveryBackendTrainingTest.openOrSkip(name)) {
            NetworkParameters start;
            NetworkParameters afterFull;
            OptimizerState sgd;
            int[] order;
            try (Trainer trainer = new Trainer(backend, SPEC, DATA, settings)) {
                start = trainer.network().download();
                order = trainer.epochOrder(1);
                TrainingResult result = trainer.train(stopAfter(trainer, 1));
                assertTrue(result.interrupted());
                assertEquals(1, result.steps());
                afterFull = trainer.network().download();
                sgd = trainer.optimizer().saveState();
            }
            assertStepFollowsTheGradient(name + ", full batch", start, afterFull, Arrays.copyOfRange(order, 0, BATCH));

            NetworkParameters afterPartial;
            try (Trainer trainer = Trainer.resume(backend, SPEC, DATA, settings, new TrainingState(afterFull, sgd, 0, 1, 1, 0, 0))) {
                TrainingResult result = trainer.train(new TrainingListener() { });
                assertFalse(result.interrupted());
                assertEquals(2, result.steps());
                afterPartial = trainer.network().download();
            }
            assertStepFollowsTheGradient(name + ", partial batch of 4", afterFull, afterPartial,
                    Arrays.copyOfRange(order, BATCH, DATA.train().sampleCount()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void twoEpochsFollowTheHostReplayOfTwoDifferentShuffles(String name) {
        TrainingSettings settings = new TrainingSettings(2, BATCH, 8, OptimizerSettings.of(OptimizerKind.SGD, LR));
        try (Backend backend = EveryBackendTrainingTest.openOrSkip(name);
             Trainer trainer = new Trainer(backend, SPEC, DATA, settings)) {
            int n = DATA.train().sampleCount();
            int[] first = trainer.epochOrder(1);
            int[] second = trainer.epochOrder(2);
            int[] identity = IntStream.range(0, n).toArray();
            assertArrayEquals(identity, IntStream.of(first).sorted().toArray(), "epoch 1 visits every sample once");
            assertArrayEquals(identity, IntStream.of(second).sorted().toArray(), "epoch 2 visits every sample once");
            assertFalse(Arrays.equals(first, second), "each epoch has its own order");

            double[][][] host = toDouble(trainer.network().download());
            trainer.train(new TrainingListener() { });
            for (int[] order : List.of(first, second)) {
                for (int offset = 0; offset < n; offset += BATCH) {
                    int[] rows = Arrays.copyOfRange(order, offset, Math.min(n, offset + BATCH));
                    double[][][] gradient = finiteDifferenceGradient(host, rows);
                    for (int kind = 0; kind < 2; kind++) {
                        for (int l = 0; l < host[kind].length; l++) {
                            for (int i = 0; i < host[kind][l].length; i++) {
                                host[kind][l][i] -= LR * gradient[kind][l][i];
                            }
                        }
                    }
                }
            }
            assertClose(name + ": after two epochs", host, toDouble(trainer.network().download()), 1e-4);
        }
    }

    private static TrainingListener stopAfter(Trainer trainer, long steps) {
        return new TrainingListener() {
            @Override
            public void stepFinished(long step) {
                if (step == steps) {
                    trainer.requestStop();
                }
            }
        };
    }

    private static void assertStepFollowsTheGradient(String what, NetworkParameters before, NetworkParameters after, int[] rows) {
        double[][][] b = toDouble(before);
        double[][][] a = toDouble(after);
        double[][][] expected = finiteDifferenceGradient(b, rows);
        double[][][] taken = new double[2][][];
        for (int kind = 0; kind < 2; kind++) {
            taken[kind] = new double[b[kind].length][];
            for (int l = 0; l < b[kind].length; l++) {
                taken[kind][l] = new double[b[kind][l].length];
                for (int i = 0; i < b[kind][l].length; i++) {
                    taken[kind][l][i] = (b[kind][l][i] - a[kind][l][i]) / LR;
                }
            }
        }
        assertClose(what + ": (w before − w after) / lr against the finite-difference gradient", expected, taken, 2e-5);
    }

    /** Central differences of the host loss over {@code rows}, in float64: [0] weights, [1] biases, per layer. */
    private static double[][][] finiteDifferenceGradient(double[][][] parameters, int[] rows) {
        Dataset train = DATA.train();
        double[] x = new double[rows.length * SPEC.inputs()];
        double[] y = new double[rows.length * SPEC.outputs()];
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < SPEC.inputs(); j++) {
                x[r * SPEC.inputs() + j] = train.features()[rows[r] * SPEC.inputs() + j];
            }
            for (int j = 0; j < SPEC.outputs(); j++) {
                y[r * SPEC.outputs() + j] = train.targets()[rows[r] * SPEC.outputs() + j];
            }
        }
        HostNetwork host = new HostNetwork(SPEC);
        double h = 1e-6;
        double[][][] gradient = new double[2][][];
        for (int kind = 0; kind < 2; kind++) {
            gradient[kind] = new double[parameters[kind].length][];
            for (int l = 0; l < parameters[kind].length; l++) {
                gradient[kind][l] = new double[parameters[kind][l].length];
                for (int i = 0; i < parameters[kind][l].length; i++) {
                    double saved = parameters[kind][l][i];
                    parameters[kind][l][i] = saved + h;
                    double up = host.meanLoss(parameters[0], parameters[1], x, y, rows.length);
                    parameters[kind][l][i] = saved - h;
                    double down = host.meanLoss(parameters[0], parameters[1], x, y, rows.length);
                    parameters[kind][l][i] = saved;
                    gradient[kind][l][i] = (up - down) / (2 * h);
                }
            }
        }
        return gradient;
    }

    private static double[][][] toDouble(NetworkParameters parameters) {
        double[][][] result = new double[2][parameters.layerCount()][];
        for (int l = 0; l < parameters.layerCount(); l++) {
            result[0][l] = toDouble(parameters.weights().get(l));
            result[1][l] = toDouble(parameters.biases().get(l));
        }
        return result;
    }

    private static double[] toDouble(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    /** |expected − actual| ≤ tolerance · (1 + |expected|) everywhere. */
    private static void assertClose(String what, double[][][] expected, double[][][] actual, double tolerance) {
        for (int kind = 0; kind < 2; kind++) {
            for (int l = 0; l < expected[kind].length; l++) {
                for (int i = 0; i < expected[kind][l].length; i++) {
                    double e = expected[kind][l][i];
                    double a = actual[kind][l][i];
                    assertTrue(Math.abs(e - a) <= tolerance * (1 + Math.abs(e)), String.format("%s: %s %d [%d]: expected %.8f, got %.8f",
                            what, kind == 0 ? "weight of layer" : "bias of layer", l, i, e, a));
                }
            }
        }
    }
}
