package dev.bp4j.cpu;

import dev.bp4j.api.contract.RandomValues;
import dev.bp4j.api.Activation;
import dev.bp4j.api.Matrix;
import dev.bp4j.api.contract.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The GEMM driver's own paths, which the contract suite reaches only at the default blocking:
 * blocks of one micro-tile and a k block of 5 force every loop level (several k passes with
 * the β rule, several A and B blocks, edge tiles on both sides) and the epilogues on the last
 * pass only; and the split between threads must not change a single bit of the result.
 * (Products of at most {@link DotProductGemm#FEW_OUTPUTS} elements skip packing; the contract
 * suite's exhaustive 1..4 shapes cover that path, so every shape here has more.)
 */
class GemmTest {

    private static final GemmBlocking TINY = new GemmBlocking(5, MicroKernel.ROWS, MicroKernel.COLS);

    static Stream<Arguments> shapes() {
        int rows = MicroKernel.ROWS;
        int cols = MicroKernel.COLS;
        return Stream.of(
                Arguments.of(1, DotProductGemm.FEW_OUTPUTS + 1, 1), Arguments.of(rows, cols, 5), Arguments.of(rows + 1, cols + 1, 6),
                Arguments.of(3 * rows - 1, 2 * cols + 3, 23), Arguments.of(2 * rows + 3, 3 * cols - 1, 11));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("shapes")
    void smallBlocksEveryTransposeAndScaling(int m, int n, int k) {
        SplittableRandom random = new SplittableRandom(m * 1009L + n * 31L + k);
        try (CpuBackend backend = new CpuBackend(2, TINY)) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                float[] a = RandomValues.uniform(random, m * k);
                float[] b = RandomValues.uniform(random, k * n);
                float[] c = RandomValues.uniform(random, m * n);
                float alpha = 0.75f;
                float beta = -1.25f;
                Matrix ma = upload(backend, a, ta ? k : m, ta ? m : k);
                Matrix mb = upload(backend, b, tb ? n : k, tb ? k : n);
                Matrix mc = upload(backend, c, m, n);
                backend.gemm(ta, tb, alpha, ma, mb, beta, mc);
                double[] expected = new double[m * n];
                double[] allowed = new double[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        double magnitude = 0;
                        for (int p = 0; p < k; p++) {
                            double x = ta ? a[p * m + i] : a[i * k + p];
                            double y = tb ? b[j * k + p] : b[p * n + j];
                            sum += x * y;
                            magnitude += Math.abs(x * y);
                        }
                        expected[i * n + j] = alpha * sum + beta * c[i * n + j];
                        allowed[i * n + j] = Tolerance.ofSum(k + 1, Math.abs(alpha) * magnitude + Math.abs(beta * c[i * n + j]));
                    }
                }
                Tolerance.assertWithin("gemm m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb,
                        n, expected, allowed, download(backend, mc));
            }
        }
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("shapes")
    void epiloguesApplyOnceAfterTheLastBlockOfK(int batch, int out, int in) {
        SplittableRandom random = new SplittableRandom(batch * 7L + out * 3L + in);
        float[] x = RandomValues.uniform(random, batch * in);
        float[] w = RandomValues.uniform(random, out * in);
        float[] bias = RandomValues.uniform(random, out);
        try (CpuBackend backend = new CpuBackend(2, TINY)) {
            Matrix mx = upload(backend, x, batch, in);
            Matrix mw = upload(backend, w, out, in);
            Matrix mb = upload(backend, bias, 1, out);
            Matrix output = backend.allocate(batch, out);
            backend.denseForward(mx, mw, mb, Activation.SIGMOID, output);
            double[] expected = new double[batch * out];
            double[] allowed = new double[batch * out];
            for (int i = 0; i < batch; i++) {
                for (int o = 0; o < out; o++) {
                    double z = bias[o];
                    double magnitude = Math.abs(bias[o]);
                    for (int p = 0; p < in; p++) {
                        z += (double) x[i * in + p] * w[o * in + p];
                        magnitude += Math.abs((double) x[i * in + p] * w[o * in + p]);
                    }
                    expected[i * out + o] = Activation.SIGMOID.apply(z);
                    allowed[i * out + o] = Tolerance.ofSum(in + 1, magnitude) + Tolerance.elementwise(expected[i * out + o]);
                }
            }
            Tolerance.assertWithin("denseForward sigmoid", out, expected, allowed, download(backend, output));

            // δ (batch × out) · W (out × in) ⊙ f′(a), with a = the activations of the layer below.
            float[] delta = RandomValues.uniform(random, batch * out);
            float[] activations = new float[batch * in];
            for (int i = 0; i < activations.length; i++) {
                activations[i] = (float) Activation.TANH.apply(random.nextDouble(-2, 2));
            }
            Matrix md = upload(backend, delta, batch, out);
            Matrix ma = upload(backend, activations, batch, in);
            Matrix result = backend.allocate(batch, in);
            backend.denseBackward(md, mw, ma, Activation.TANH, result);
            double[] expectedDelta = new double[batch * in];
            double[] allowedDelta = new double[batch * in];
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < in; j++) {
                    double sum = 0;
                    double magnitude = 0;
                    for (int o = 0; o < out; o++) {
                        sum += (double) delta[i * out + o] * w[o * in + j];
                        magnitude += Math.abs((double) delta[i * out + o] * w[o * in + j]);
                    }
                    double derivative = Activation.TANH.derivative(activations[i * in + j]);
                    expectedDelta[i * in + j] = sum * derivative;
                    allowedDelta[i * in + j] = Tolerance.ofSum(out + 2, magnitude * Math.abs(derivative))
                            + Tolerance.elementwise(expectedDelta[i * in + j]);
                }
            }
            Tolerance.assertWithin("denseBackward tanh", in, expectedDelta, allowedDelta, download(backend, result));
        }
    }

    @Test
    void theSplitBetweenThreadsDoesNotChangeTheResult() {
        int m = 7 * MicroKernel.ROWS + 3;
        int n = 5 * MicroKernel.COLS + 7;
        int k = 300;
        SplittableRandom random = new SplittableRandom(11);
        float[] a = RandomValues.uniform(random, m * k);
        float[] b = RandomValues.uniform(random, n * k);
        float[] bias = RandomValues.uniform(random, n);
        float[] single = null;
        for (int threads = 1; threads <= 4; threads++) {
            try (CpuBackend backend = new CpuBackend(threads, GemmBlocking.DEFAULT)) {
                Matrix output = backend.allocate(m, n);
                backend.denseForward(upload(backend, a, m, k), upload(backend, b, n, k), upload(backend, bias, 1, n),
                        Activation.RELU, output);
                float[] result = download(backend, output);
                if (single == null) {
                    single = result;
                } else {
                    assertArrayEquals(single, result, threads + " threads give other bits than 1");
                }
            }
        }
    }

    private static Matrix upload(CpuBackend backend, float[] values, int rows, int cols) {
        Matrix m = backend.allocate(rows, cols);
        backend.upload(values, m);
        return m;
    }

    private static float[] download(CpuBackend backend, Matrix m) {
        float[] values = new float[(int) m.size()];
        backend.download(m, values);
        return values;
    }

}
