package dev.bp4j.cpu.gemm;

import dev.bp4j.api.contract.RandomValues;
import dev.bp4j.api.Activation;
import dev.bp4j.api.contract.Tolerance;
import dev.bp4j.cpu.WorkerPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
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
        try (WorkerPool pool = new WorkerPool(2)) {
            Gemm gemm = new Gemm(pool, TINY);
            for (TransposeCase operands : TransposeCase.draw(random, m, n, k)) {
                boolean ta = operands.ta();
                boolean tb = operands.tb();
                float[] a = operands.a();
                float[] b = operands.b();
                float[] before = operands.c();
                float alpha = TransposeCase.ALPHA;
                float beta = TransposeCase.BETA;
                float[] c = before.clone();
                gemm.multiply(operands.into(c));
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
                        expected[i * n + j] = alpha * sum + beta * before[i * n + j];
                        allowed[i * n + j] = Tolerance.ofSum(k + 1, Math.abs(alpha) * magnitude + Math.abs(beta * before[i * n + j]));
                    }
                }
                Tolerance.assertWithin("gemm m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb,
                        n, expected, allowed, c);
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
        try (WorkerPool pool = new WorkerPool(2)) {
            Gemm gemm = new Gemm(pool, TINY);
            float[] output = new float[batch * out];
            gemm.multiply(new GemmOperands(false, true, batch, out, in, 1f, x, in, w, in, 0f, output, out,
                    new Epilogue.BiasActivation(bias, Activation.SIGMOID)));
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
            Tolerance.assertWithin("denseForward sigmoid", out, expected, allowed, output);

            // δ (batch × out) · W (out × in) ⊙ f′(a), with a = the activations of the layer below.
            float[] delta = RandomValues.uniform(random, batch * out);
            float[] activations = new float[batch * in];
            for (int i = 0; i < activations.length; i++) {
                activations[i] = (float) Activation.TANH.apply(random.nextDouble(-2, 2));
            }
            float[] result = new float[batch * in];
            gemm.multiply(new GemmOperands(false, false, batch, in, out, 1f, delta, out, w, in, 0f, result, in,
                    new Epilogue.ActivationBackward(activations, in, Activation.TANH)));
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
            Tolerance.assertWithin("denseBackward tanh", in, expectedDelta, allowedDelta, result);
        }
    }

    /**
     * The shared-panel path at tiny blocks: with several blocks of k and of columns, the two
     * alternating buffers each get reused while another thread may still read the other, and a
     * thread's share of the packing is not the rectangle it multiplies. Every transpose case,
     * 1 to 5 threads (C cut by rows, by columns and both), the same bits as one thread.
     */
    @ParameterizedTest(name = "m={0} n={1}")
    @MethodSource("shapes")
    void sharedPanelsGiveTheBitsOfOneThreadInEveryTransposeCase(int m, int n, int smallK) {
        // Enough k that the product is worth splitting.
        int k = (int) Math.max(smallK, Gemm.PARALLEL_FLOPS / (2L * m * n) + 1);
        assertThreadCountsGiveTheBitsOfOne(m, n, k, new GemmBlocking(5, MicroKernel.ROWS, 2 * MicroKernel.COLS),
                new int[] {1, 2, 3, 4, 5});
    }

    /**
     * More parts than a 16-bit claim mask could pin: 17 and 20 threads (on however few cores)
     * over 30 tiles, the bits of one thread.
     */
    @Test
    void moreThanSixteenPartsShareThePanelsWithTheBitsOfOneThread() {
        // Enough k for a split product at every vector width.
        assertThreadCountsGiveTheBitsOfOne(5 * MicroKernel.ROWS + 3, 4 * MicroKernel.COLS + 5, 150,
                new GemmBlocking(37, MicroKernel.ROWS, 2 * MicroKernel.COLS), new int[] {1, 17, 20});
    }

    /** C = 0.75·op(A)·op(B) − 1.25·C in every transpose case, twice per pool, on each thread count: the first's bits. */
    private static void assertThreadCountsGiveTheBitsOfOne(int m, int n, int k, GemmBlocking blocks, int[] threadCounts) {
        SplittableRandom random = new SplittableRandom(m * 13L + n * 5L + k);
        for (TransposeCase operands : TransposeCase.draw(random, m, n, k)) {
            float[] single = null;
            for (int threads : threadCounts) {
                try (WorkerPool pool = new WorkerPool(threads)) {
                    Gemm gemm = new Gemm(pool, blocks);
                    // Twice on the same Gemm: the second call reuses the buffers the first grew.
                    for (int call = 0; call < 2; call++) {
                        float[] result = operands.c().clone();
                        gemm.multiply(operands.into(result));
                        if (single == null) {
                            single = result;
                        } else {
                            assertArrayEquals(single, result, threads + " threads, call " + call + ", ta=" + operands.ta()
                                    + " tb=" + operands.tb() + " give other bits than " + threadCounts[0]);
                        }
                    }
                }
            }
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
            try (WorkerPool pool = new WorkerPool(threads)) {
                float[] result = new float[m * n];
                new Gemm(pool, GemmBlocking.DEFAULT).multiply(new GemmOperands(false, true, m, n, k, 1f, a, k, b, k, 0f,
                        result, n, new Epilogue.BiasActivation(bias, Activation.RELU)));
                if (single == null) {
                    single = result;
                } else {
                    assertArrayEquals(single, result, threads + " threads give other bits than 1");
                }
            }
        }
    }

    /** Random operands of an m × n × k product in one transpose case, and C to scale by {@link #BETA}. */
    private record TransposeCase(boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b, float[] c) {
        static final float ALPHA = 0.75f;
        static final float BETA = -1.25f;

        /** The four transpose cases, in the order ta, tb = ff, tf, ft, tt, each with fresh operands. */
        static List<TransposeCase> draw(SplittableRandom random, int m, int n, int k) {
            List<TransposeCase> cases = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                cases.add(new TransposeCase((t & 1) != 0, (t & 2) != 0, m, n, k, RandomValues.uniform(random, m * k),
                        RandomValues.uniform(random, k * n), RandomValues.uniform(random, m * n)));
            }
            return cases;
        }

        /** C = α·op(A)·op(B) + β·C into {@code result}, which starts as a copy of {@link #c}. */
        GemmOperands into(float[] result) {
            return new GemmOperands(ta, tb, m, n, k, ALPHA, a, ta ? m : k, b, tb ? k : n, BETA, result, n, Epilogue.NONE);
        }
    }
}
