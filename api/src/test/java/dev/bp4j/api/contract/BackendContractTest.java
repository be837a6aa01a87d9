package dev.bp4j.api.contract;

import dev.bp4j.api.Activation;
import dev.bp4j.api.AdamStep;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.DropoutMask;
import dev.bp4j.api.Backends;
import dev.bp4j.api.IndexVector;
import dev.bp4j.api.Matrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract every backend passes: each operation against a float64 computation written
 * here, over seeded random data, awkward shapes (1, 7, 33, 65, 127, 1000 and every m, n, k in
 * 1..4 for gemm), all transpose cases and several α/β. Tolerances are in {@link Tolerance}.
 *
 * <p>After every operation the suite checks that inputs are unchanged and that a canary matrix
 * allocated right after the output still holds its sentinel: backends that sub-allocate
 * from one arena would show an out-of-bounds write there; Java backends trap it as an
 * index exception.
 *
 * <p>A backend module runs the suite by extending this class (the api test-jar) and naming
 * its backend, or overriding {@link #openBackend()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {

    private static final float CANARY = -12345.5f;
    private static final int[] AWKWARD = {1, 7, 33, 65, 127, 1000};

    protected Backend backend;
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** The registered name of the backend under test. */
    protected abstract String backendName();

    /** Opens the backend under test, behind the checking facade; strict, so no silent fallback. */
    protected Backend openBackend() {
        return Backends.open(backendName(), new BackendOptions(0, null, true), message -> { });
    }

    @BeforeAll
    void openBackendOnce() {
        backend = openBackend();
        assertEquals(backendName(), backend.name(), "the backend opened is the one under test");
    }

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        for (AutoCloseable handle : opened) {
            handle.close();
        }
        opened.clear();
        assertEquals(0, backend.stats().liveBuffers(), "every buffer a test allocated was released");
    }

    @AfterAll
    void closeBackend() {
        backend.close();
    }

    // ---- gemm ---------------------------------------------------------------------------------

    @Test
    void gemmEveryTinyShapeEveryTransposeAndScaling() {
        SplittableRandom random = new SplittableRandom(1);
        float[][] scalings = {{1f, 0f}, {-0.5f, 0.75f}, {2f, 1f}};
        for (int m = 1; m <= 4; m++) {
            for (int n = 1; n <= 4; n++) {
                for (int k = 1; k <= 4; k++) {
                    for (int t = 0; t < 4; t++) {
                        for (float[] s : scalings) {
                            checkGemm(random, m, n, k, (t & 1) != 0, (t & 2) != 0, s[0], s[1]);
                        }
                    }
                }
            }
        }
    }

    static Stream<Arguments> awkwardGemmShapes() {
        SplittableRandom random = new SplittableRandom(2);
        List<Arguments> shapes = new ArrayList<>();
        // Every pair of awkward sizes appears, at most one of m, n, k at 1000 so a case stays small.
        while (shapes.size() < 40) {
            int m = AWKWARD[random.nextInt(AWKWARD.length)];
            int n = AWKWARD[random.nextInt(AWKWARD.length)];
            int k = AWKWARD[random.nextInt(AWKWARD.length)];
            if ((long) m * n * k > 1000L * 127 * 127) {
                continue;
            }
            shapes.add(Arguments.of(m, n, k, random.nextBoolean(), random.nextBoolean()));
        }
        // The shapes of a dense layer and its two backward products, and large sides.
        shapes.add(Arguments.of(128, 256, 784, false, true));
        shapes.add(Arguments.of(256, 784, 128, true, false));
        shapes.add(Arguments.of(128, 784, 256, false, false));
        shapes.add(Arguments.of(1000, 33, 1000, false, false));
        shapes.add(Arguments.of(1000, 1000, 7, true, true));
        shapes.add(Arguments.of(7, 1000, 1000, true, false));
        return shapes.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transposeA={3} transposeB={4}")
    @MethodSource("awkwardGemmShapes")
    void gemmAwkwardShapes(int m, int n, int k, boolean transposeA, boolean transposeB) {
        SplittableRandom random = new SplittableRandom(31L * m + 17L * n + k);
        checkGemm(random, m, n, k, transposeA, transposeB, 1f, 0f);
        checkGemm(random, m, n, k, transposeA, transposeB, 0.5f, -1.5f);
    }

    @Test
    void gemmWithBetaZeroDoesNotReadC() {
        float[] nan = new float[33 * 7];
        Arrays.fill(nan, Float.NaN);
        SplittableRandom random = new SplittableRandom(3);
        float[] a = RandomValues.uniform(random, 33 * 65);
        float[] b = RandomValues.uniform(random, 65 * 7);
        Matrix ma = upload(a, 33, 65);
        Matrix mb = upload(b, 65, 7);
        Matrix mc = upload(nan, 33, 7);
        backend.gemm(false, false, 1f, ma, mb, 0f, mc);
        for (float value : download(mc)) {
            assertTrue(Float.isFinite(value), "β = 0 must ignore the NaNs already in C");
        }
    }

    private void checkGemm(SplittableRandom random, int m, int n, int k, boolean transposeA, boolean transposeB,
                           float alpha, float beta) {
        int aRows = transposeA ? k : m;
        int aCols = transposeA ? m : k;
        int bRows = transposeB ? n : k;
        int bCols = transposeB ? k : n;
        float[] a = RandomValues.uniform(random, aRows * aCols);
        float[] b = RandomValues.uniform(random, bRows * bCols);
        float[] c = RandomValues.uniform(random, m * n);
        double[] expected = new double[m * n];
        double[] allowed = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    double x = transposeA ? a[p * aCols + i] : a[i * aCols + p];
                    double y = transposeB ? b[j * bCols + p] : b[p * bCols + j];
                    sum += x * y;
                    magnitude += Math.abs(x * y);
                }
                double cij = beta == 0 ? 0 : c[i * n + j];
                expected[i * n + j] = alpha * sum + beta * cij;
                allowed[i * n + j] = Tolerance.ofSum(k + 1, Math.abs(alpha) * magnitude + Math.abs(beta * cij));
            }
        }
        Matrix ma = upload(a, aRows, aCols);
        Matrix mb = upload(b, bRows, bCols);
        Matrix mc = upload(c, m, n);
        Matrix canary = canaryAfter(mc);
        backend.gemm(transposeA, transposeB, alpha, ma, mb, beta, mc);
        String what = "gemm m=" + m + " n=" + n + " k=" + k + " transposeA=" + transposeA + " transposeB=" + transposeB
                + " α=" + alpha + " β=" + beta;
        Tolerance.assertWithin(what, n, expected, allowed, download(mc));
        assertUnchanged(what + ": A", a, ma);
        assertUnchanged(what + ": B", b, mb);
        assertCanary(what, canary);
        closeNow(ma, mb, mc, canary);
    }

    // ---- dense layers -------------------------------------------------------------------------

    static Stream<Arguments> denseShapes() {
        List<Arguments> cases = new ArrayList<>();
        int[][] shapes = {{1, 1, 1}, {7, 33, 5}, {33, 7, 65}, {128, 64, 10}, {65, 127, 33}, {3, 1000, 7}};
        for (Activation f : Activation.values()) {
            for (int[] s : shapes) {
                cases.add(Arguments.of(f, s[0], s[1], s[2]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} batch={1} in={2} out={3}")
    @MethodSource("denseShapes")
    void denseForward(Activation f, int batch, int in, int out) {
        SplittableRandom random = new SplittableRandom(batch * 1000L + in * 10L + out);
        float[] x = RandomValues.uniform(random, batch * in);
        float[] w = RandomValues.uniform(random, out * in);
        float[] bias = RandomValues.uniform(random, out);
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
                double a = f.apply(z);
                expected[i * out + o] = a;
                // Every activation here is 1-Lipschitz, so the error of z carries over at most once.
                allowed[i * out + o] = Tolerance.ofSum(in + 1, magnitude) + Tolerance.elementwise(a);
            }
        }
        Matrix mx = upload(x, batch, in);
        Matrix mw = upload(w, out, in);
        Matrix mb = upload(bias, 1, out);
        Matrix output = track(backend.allocate(batch, out));
        Matrix canary = canaryAfter(output);
        backend.denseForward(mx, mw, mb, f, output);
        String what = "denseForward " + f + " batch=" + batch + " in=" + in + " out=" + out;
        Tolerance.assertWithin(what, out, expected, allowed, download(output));
        assertUnchanged(what + ": input", x, mx);
        assertCanary(what, canary);
    }

    @ParameterizedTest(name = "{0} batch={1} in={2} out={3}")
    @MethodSource("denseShapes")
    void denseBackward(Activation f, int batch, int in, int out) {
        SplittableRandom random = new SplittableRandom(batch * 7000L + in * 70L + out);
        float[] delta = RandomValues.uniform(random, batch * out);
        float[] w = RandomValues.uniform(random, out * in);
        float[] activations = activations(random, f, batch * in);
        double[] expected = new double[batch * in];
        double[] allowed = new double[batch * in];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < in; j++) {
                double sum = 0;
                double magnitude = 0;
                for (int o = 0; o < out; o++) {
                    sum += (double) delta[i * out + o] * w[o * in + j];
                    magnitude += Math.abs((double) delta[i * out + o] * w[o * in + j]);
                }
                double derivative = f.derivative(activations[i * in + j]);
                expected[i * in + j] = sum * derivative;
                allowed[i * in + j] = Tolerance.ofSum(out + 2, magnitude * Math.abs(derivative))
                        + Tolerance.elementwise(expected[i * in + j]);
            }
        }
        Matrix md = upload(delta, batch, out);
        Matrix mw = upload(w, out, in);
        Matrix ma = upload(activations, batch, in);
        Matrix result = track(backend.allocate(batch, in));
        Matrix canary = canaryAfter(result);
        backend.denseBackward(md, mw, ma, f, result);
        String what = "denseBackward " + f + " batch=" + batch + " in=" + in + " out=" + out;
        Tolerance.assertWithin(what, in, expected, allowed, download(result));
        assertUnchanged(what + ": delta", delta, md);
        assertCanary(what, canary);
    }

    // ---- elementwise --------------------------------------------------------------------------

    static Stream<Arguments> elementwiseShapes() {
        int[][] shapes = {{1, 1}, {1, 7}, {7, 1}, {33, 33}, {1, 1000}, {1000, 33}, {127, 65}};
        List<Arguments> cases = new ArrayList<>();
        for (Activation f : Activation.values()) {
            for (int[] s : shapes) {
                cases.add(Arguments.of(f, s[0], s[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}×{2}")
    @MethodSource("elementwiseShapes")
    void activateAndBackward(Activation f, int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 131L + cols);
        float[] z = RandomValues.uniform(random, rows * cols);
        // Extremes where naive formulas overflow or lose everything.
        z[0] = 1e4f;
        if (z.length > 1) {
            z[z.length - 1] = -1e4f;
        }
        double[] expected = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            expected[i] = f.apply(z[i]);
        }
        Matrix input = upload(z, rows, cols);
        Matrix output = track(backend.allocate(rows, cols));
        Matrix canary = canaryAfter(output);
        backend.activate(f, input, output);
        float[] a = download(output);
        Tolerance.assertElementwise("activate " + f, cols, expected, a);
        assertUnchanged("activate " + f + ": input", z, input);
        assertCanary("activate " + f, canary);

        backend.activate(f, input, input);
        Tolerance.assertElementwise("activate " + f + " in place", cols, expected, download(input));

        float[] gradient = RandomValues.uniform(random, rows * cols);
        double[] expectedBackward = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            expectedBackward[i] = gradient[i] * f.derivative(a[i]);
        }
        Matrix mg = upload(gradient, rows, cols);
        Matrix result = track(backend.allocate(rows, cols));
        backend.activationBackward(f, output, mg, result);
        Tolerance.assertElementwise("activationBackward " + f, cols, expectedBackward, download(result));
        backend.activationBackward(f, output, mg, mg);
        Tolerance.assertElementwise("activationBackward " + f + " in place", cols, expectedBackward, download(mg));
    }

    // ---- dropout ------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}×{2}")
    @MethodSource("elementwiseShapes")
    void dropoutKeepsExactlyTheMaskOfItsDefinitionForwardAndBackward(Activation f, int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 137L + cols);
        float[] z = RandomValues.uniform(random, rows * cols);
        DropoutMask mask = new DropoutMask(0.3f, random.nextLong(), random.nextLong());
        double scale = mask.keepScale();
        double[] expectedActivations = new double[z.length];
        double[] expectedOutput = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            expectedActivations[i] = (float) f.apply(z[i]);
            expectedOutput[i] = mask.keeps(i) ? expectedActivations[i] * scale : 0;
        }
        Matrix input = upload(z, rows, cols);
        Matrix activations = track(backend.allocate(rows, cols));
        Matrix output = track(backend.allocate(rows, cols));
        Matrix canary = canaryAfter(output);
        backend.dropoutForward(f, input, activations, mask, output);
        float[] a = download(activations);
        float[] y = download(output);
        Tolerance.assertElementwise("dropoutForward " + f + " activations", cols, expectedActivations, a);
        Tolerance.assertElementwise("dropoutForward " + f + " output", cols, expectedOutput, y);
        assertDroppedExactly("dropoutForward " + f, mask, cols, y);
        assertUnchanged("dropoutForward " + f + ": input", z, input);
        assertCanary("dropoutForward " + f, canary);

        // In place: the activations overwrite the pre-activations.
        backend.dropoutForward(f, input, input, mask, output);
        Tolerance.assertElementwise("dropoutForward " + f + " in place", cols, expectedActivations, download(input));

        float[] gradient = RandomValues.uniform(random, rows * cols);
        double[] expectedBackward = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            expectedBackward[i] = mask.keeps(i) ? gradient[i] * scale * f.derivative(a[i]) : 0;
        }
        Matrix mg = upload(gradient, rows, cols);
        Matrix result = track(backend.allocate(rows, cols));
        backend.dropoutBackward(f, activations, mg, mask, result);
        float[] r = download(result);
        Tolerance.assertElementwise("dropoutBackward " + f, cols, expectedBackward, r);
        assertDroppedExactly("dropoutBackward " + f, mask, cols, r);
        assertUnchanged("dropoutBackward " + f + ": activations", a, activations);
        backend.dropoutBackward(f, activations, mg, mask, mg);
        assertArrayEquals(r, download(mg), "dropoutBackward " + f + " in place gives the same bits");
    }

    /** Every element the mask drops is exactly zero; every kept one may be anything (a ReLU zero included). */
    private static void assertDroppedExactly(String what, DropoutMask mask, int cols, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!mask.keeps(i) && values[i] != 0f) {
                fail(what + ": element (" + i / cols + ", " + i % cols + ") is dropped by the mask but is " + values[i]);
            }
        }
    }

    /**
     * The bits are uniform and independent enough for dropout: over a million units the kept
     * share, the share of kept neighbour pairs (words of one Philox block and of the next), the
     * share kept by two consecutive streams (steps) and the kept share of every column lie within
     * 5 standard deviations of a fair coin's with the mask's rate. A generator that repeated
     * words, ignored the stream or biased the threshold is off by far more.
     */
    @ParameterizedTest(name = "rate {0}")
    @org.junit.jupiter.params.provider.ValueSource(floats = {0.1f, 0.5f, 0.8f})
    void dropoutKeptUnitsFollowTheRate(float rate) {
        int rows = 1000;
        int cols = 1000;
        long seed = 0x5EED_0000_0000_0001L + Float.floatToIntBits(rate);
        float[] ones = new float[rows * cols];
        Arrays.fill(ones, 1f);
        Matrix input = upload(ones, rows, cols);
        Matrix activations = track(backend.allocate(rows, cols));
        Matrix first = track(backend.allocate(rows, cols));
        Matrix second = track(backend.allocate(rows, cols));
        backend.dropoutForward(Activation.IDENTITY, input, activations, new DropoutMask(rate, seed, 41), first);
        backend.dropoutForward(Activation.IDENTITY, input, activations, new DropoutMask(rate, seed, 42), second);
        float[] a = download(first);
        float[] b = download(second);
        double keep = 1 - rate;
        int n = a.length;
        long kept = 0;
        long neighbours = 0;
        long bothSteps = 0;
        long[] perColumn = new long[cols];
        for (int i = 0; i < n; i++) {
            boolean k = a[i] != 0;
            kept += k ? 1 : 0;
            perColumn[i % cols] += k ? 1 : 0;
            neighbours += i + 1 < n && k && a[i + 1] != 0 ? 1 : 0;
            bothSteps += k && b[i] != 0 ? 1 : 0;
        }
        assertShare("kept units", kept, n, keep);
        assertShare("kept neighbour pairs", neighbours, n - 1, keep * keep);
        assertShare("units kept in two consecutive steps", bothSteps, n, keep * keep);
        for (int j = 0; j < cols; j++) {
            assertShare("kept units of column " + j, perColumn[j], rows, keep);
        }
    }

    private static void assertShare(String what, long count, long trials, double probability) {
        double sigma = Math.sqrt(trials * probability * (1 - probability));
        double expected = trials * probability;
        assertTrue(Math.abs(count - expected) <= 5 * sigma + 1,
                what + ": " + count + " of " + trials + ", expected " + expected + " ± 5·" + sigma);
    }

    // ---- gradient clipping --------------------------------------------------------------------

    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("matrixShapes")
    void sumOfSquaresAccumulatesAndClipToNormScales(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 139L + cols);
        float[] m = RandomValues.uniform(random, rows * cols);
        double squares = 0;
        for (float x : m) {
            squares += (double) x * x;
        }
        Matrix mm = upload(m, rows, cols);
        Matrix total = upload(new float[] {0.5f}, 1, 1);
        Matrix canary = canaryAfter(total);
        backend.sumOfSquares(mm, total);
        backend.sumOfSquares(mm, total);
        double expectedTotal = 0.5 + 2 * squares;
        Tolerance.assertWithin("sumOfSquares", 1, new double[] {expectedTotal},
                new double[] {Tolerance.ofSum(2 * m.length + 1, expectedTotal)}, download(total));
        assertUnchanged("sumOfSquares: matrix", m, mm);
        assertCanary("sumOfSquares", canary);

        float squaredNorm = download(total)[0];
        double norm = Math.sqrt(squaredNorm);
        for (float maxNorm : new float[] {(float) (norm / 3), (float) (norm * 2)}) {
            double factor = Math.min(1, maxNorm / (norm + 1e-6));
            double[] expected = new double[m.length];
            for (int i = 0; i < m.length; i++) {
                expected[i] = m[i] * factor;
            }
            Matrix clipped = upload(m, rows, cols);
            backend.clipToNorm(total, maxNorm, clipped);
            Tolerance.assertElementwise("clipToNorm to " + maxNorm + " of " + norm, cols, expected, download(clipped));
            assertUnchanged("clipToNorm: squared norm", new float[] {squaredNorm}, total);
        }
    }

    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("matrixShapes")
    void hadamard(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 17L + cols);
        float[] a = RandomValues.uniform(random, rows * cols);
        float[] b = RandomValues.uniform(random, rows * cols);
        double[] expected = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            expected[i] = (double) a[i] * b[i];
        }
        Matrix ma = upload(a, rows, cols);
        Matrix mb = upload(b, rows, cols);
        Matrix result = track(backend.allocate(rows, cols));
        Matrix canary = canaryAfter(result);
        backend.hadamard(ma, mb, result);
        Tolerance.assertElementwise("hadamard", cols, expected, download(result));
        assertCanary("hadamard", canary);
        backend.hadamard(ma, mb, ma);
        Tolerance.assertElementwise("hadamard in place", cols, expected, download(ma));
    }

    static Stream<Arguments> matrixShapes() {
        return Stream.of(Arguments.of(1, 1), Arguments.of(7, 1), Arguments.of(1, 7), Arguments.of(33, 65),
                Arguments.of(127, 1000), Arguments.of(1000, 7));
    }

    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("matrixShapes")
    void addRowVectorAndColumnSums(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 23L + cols);
        float[] m = RandomValues.uniform(random, rows * cols);
        float[] bias = RandomValues.uniform(random, cols);
        double[] expected = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            expected[i] = (double) m[i] + bias[i % cols];
        }
        Matrix mm = upload(m, rows, cols);
        Matrix mb = upload(bias, 1, cols);
        Matrix canary = canaryAfter(mm);
        backend.addRowVector(mb, mm);
        Tolerance.assertElementwise("addRowVector", cols, expected, download(mm));
        assertUnchanged("addRowVector: bias", bias, mb);
        assertCanary("addRowVector", canary);

        float[] previous = RandomValues.uniform(random, cols);
        float alpha = 0.25f;
        float beta = -2f;
        double[] sums = new double[cols];
        double[] allowed = new double[cols];
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            double magnitude = 0;
            for (int i = 0; i < rows; i++) {
                sum += m[i * cols + j];
                magnitude += Math.abs(m[i * cols + j]);
            }
            sums[j] = alpha * sum + beta * previous[j];
            allowed[j] = Tolerance.ofSum(rows + 1, alpha * magnitude + Math.abs(beta * previous[j]));
        }
        Matrix original = upload(m, rows, cols);
        Matrix result = upload(previous, 1, cols);
        Matrix resultCanary = canaryAfter(result);
        backend.columnSums(alpha, original, beta, result);
        Tolerance.assertWithin("columnSums", cols, sums, allowed, download(result));
        assertCanary("columnSums", resultCanary);

        float[] nan = new float[cols];
        Arrays.fill(nan, Float.NaN);
        backend.upload(nan, result);
        backend.columnSums(1f, original, 0f, result);
        for (float value : download(result)) {
            assertTrue(Float.isFinite(value), "columnSums with β = 0 must ignore the NaNs already in the result");
        }
    }

    // ---- losses -------------------------------------------------------------------------------

    static Stream<Arguments> lossShapes() {
        return Stream.of(Arguments.of(1, 1), Arguments.of(1, 10), Arguments.of(7, 2), Arguments.of(128, 10),
                Arguments.of(33, 1000), Arguments.of(1000, 7));
    }

    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("lossShapes")
    void softmaxCrossEntropy(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 41L + cols);
        float[] z = RandomValues.uniform(random, rows * cols);
        for (int i = 0; i < z.length; i++) {
            z[i] *= 8;
        }
        if (cols > 1) {
            z[0] = 1000f;
            z[1] = 1f;
        }
        float[] y = oneHot(random, rows, cols);
        double[] expectedLoss = new double[rows];
        double[] expectedGradient = new double[rows * cols];
        float scale = 1f / rows;
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, z[i * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(z[i * cols + j] - max);
            }
            for (int j = 0; j < cols; j++) {
                double logSoftmax = z[i * cols + j] - max - Math.log(sum);
                expectedLoss[i] -= y[i * cols + j] * logSoftmax;
                expectedGradient[i * cols + j] = scale * (Math.exp(logSoftmax) - y[i * cols + j]);
            }
        }
        checkLoss("softmaxCrossEntropy", rows, cols, z, y, scale, expectedLoss, expectedGradient,
                (logits, targets, gradient, rowLoss) -> backend.softmaxCrossEntropy(logits, targets, scale, gradient, rowLoss));
    }

    @Test
    void softmaxCrossEntropyOfExtremeLogitsIsExact() {
        // log softmax([1000, 1]) = [0, −999]: the loss of the second class is 999, not infinity.
        Matrix logits = upload(new float[] {1000f, 1f, 1000f, 1f}, 2, 2);
        Matrix targets = upload(new float[] {0f, 1f, 1f, 0f}, 2, 2);
        Matrix gradient = track(backend.allocate(2, 2));
        Matrix rowLoss = track(backend.allocate(2, 1));
        backend.softmaxCrossEntropy(logits, targets, 1f, gradient, rowLoss);
        float[] loss = download(rowLoss);
        assertEquals(999f, loss[0], 1e-3f);
        assertEquals(0f, loss[1], 1e-6f);
        assertArrayEquals(new float[] {1f, -1f, 0f, 0f}, download(gradient), 1e-6f);
    }

    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("lossShapes")
    void sigmoidCrossEntropy(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 43L + cols);
        float[] z = RandomValues.uniform(random, rows * cols);
        z[0] = 1e4f;
        z[z.length - 1] = -1e4f;
        float[] y = new float[rows * cols];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextBoolean() ? 1f : 0f;
        }
        float scale = 0.5f;
        double[] expectedLoss = new double[rows];
        double[] expectedGradient = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double zij = z[i * cols + j];
                double yij = y[i * cols + j];
                expectedLoss[i] += Math.max(zij, 0) - zij * yij + Math.log1p(Math.exp(-Math.abs(zij)));
                expectedGradient[i * cols + j] = scale * (Activation.SIGMOID.apply(zij) - yij);
            }
        }
        checkLoss("sigmoidCrossEntropy", rows, cols, z, y, scale, expectedLoss, expectedGradient,
                (logits, targets, gradient, rowLoss) -> backend.sigmoidCrossEntropy(logits, targets, scale, gradient, rowLoss));
    }

    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("lossShapes")
    void squaredError(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 47L + cols);
        float[] a = RandomValues.uniform(random, rows * cols);
        float[] y = RandomValues.uniform(random, rows * cols);
        float scale = 1f / rows;
        double[] expectedLoss = new double[rows];
        double[] expectedGradient = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double difference = (double) a[i * cols + j] - y[i * cols + j];
                expectedLoss[i] += 0.5 * difference * difference;
                expectedGradient[i * cols + j] = scale * difference;
            }
        }
        checkLoss("squaredError", rows, cols, a, y, scale, expectedLoss, expectedGradient,
                (outputs, targets, gradient, rowLoss) -> backend.squaredError(outputs, targets, scale, gradient, rowLoss));
    }

    private interface LossOperation {
        void run(Matrix outputs, Matrix targets, Matrix gradient, Matrix rowLoss);
    }

    private void checkLoss(String what, int rows, int cols, float[] outputs, float[] targets, float scale,
                           double[] expectedLoss, double[] expectedGradient, LossOperation operation) {
        Matrix mo = upload(outputs, rows, cols);
        Matrix mt = upload(targets, rows, cols);
        Matrix gradient = track(backend.allocate(rows, cols));
        Matrix gradientCanary = canaryAfter(gradient);
        Matrix rowLoss = track(backend.allocate(rows, 1));
        Matrix lossCanary = canaryAfter(rowLoss);
        operation.run(mo, mt, gradient, rowLoss);
        double[] allowedLoss = new double[rows];
        for (int i = 0; i < rows; i++) {
            // A row's loss sums cols terms, each within the elementwise tolerance.
            allowedLoss[i] = cols * Tolerance.ELEMENTWISE_ABSOLUTE + Tolerance.ofSum(cols, Math.abs(expectedLoss[i]))
                    + Tolerance.ELEMENTWISE_RELATIVE * Math.abs(expectedLoss[i]);
        }
        Tolerance.assertWithin(what + " rowLoss " + rows + "×" + cols, 1, expectedLoss, allowedLoss, download(rowLoss));
        double[] allowedGradient = new double[rows * cols];
        for (int i = 0; i < allowedGradient.length; i++) {
            allowedGradient[i] = Math.abs(scale) * Tolerance.ELEMENTWISE_ABSOLUTE + Tolerance.elementwise(expectedGradient[i]);
        }
        Tolerance.assertWithin(what + " gradient " + rows + "×" + cols, cols, expectedGradient, allowedGradient, download(gradient));
        assertUnchanged(what + ": outputs", outputs, mo);
        assertUnchanged(what + ": targets", targets, mt);
        assertCanary(what + " gradient", gradientCanary);
        assertCanary(what + " rowLoss", lossCanary);
    }

    @Test
    void countCorrectArgmaxAndThreshold() {
        Matrix scores = upload(new float[] {0.1f, 0.7f, 0.2f, 0.9f, 0.05f, 0.05f, 0.3f, 0.3f, 0.4f}, 3, 3);
        Matrix targets = upload(new float[] {0, 1, 0, 0, 1, 0, 0, 0, 1}, 3, 3);
        Matrix counter = upload(new float[] {5f}, 1, 1);
        backend.countCorrect(scores, targets, 0f, counter);
        assertEquals(7f, download(counter)[0], "5 already there + rows 0 and 2 right");

        Matrix single = upload(new float[] {0.2f, 0.8f, 0.6f, 0.4f}, 4, 1);
        Matrix singleTargets = upload(new float[] {0f, 1f, 0f, 1f}, 4, 1);
        Matrix singleCounter = upload(new float[] {0f}, 1, 1);
        backend.countCorrect(single, singleTargets, 0.5f, singleCounter);
        assertEquals(2f, download(singleCounter)[0], "one column: score > threshold against target > 0.5");

        SplittableRandom random = new SplittableRandom(5);
        int rows = 1000;
        int cols = 10;
        float[] s = RandomValues.uniform(random, rows * cols);
        float[] y = oneHot(random, rows, cols);
        assertEquals(expectedCorrect(s, y, rows, cols), countedCorrect(s, y, rows, cols));
    }

    /**
     * The arg-max is the first index of the row maximum under {@code >}: ties go to the first,
     * −0 and +0 tie, and a NaN never wins unless it stands first (nothing compares greater than
     * it). Backends that vectorise the arg-max must keep exactly that, also past one vector.
     */
    @Test
    void countCorrectTiesNaNAndSignedZeros() {
        float nan = Float.NaN;
        Matrix scores = upload(new float[] {
            0.5f, 0.9f, 0.9f,
            0.5f, 0.9f, 0.9f,
            nan, 0.2f, 0.8f,
            0.2f, nan, 0.8f,
            -0f, 0f, -1f,
            -1f, -0f, 0f}, 6, 3);
        Matrix targets = upload(new float[] {
            0, 1, 0,    // tie at 1 and 2: the first, 1, is right
            0, 0, 1,    // the same tie against label 2: wrong
            1, 0, 0,    // NaN first: nothing beats it, arg-max 0, right
            0, 0, 1,    // NaN later is skipped: arg-max 2, right
            1, 0, 0,    // −0 and +0 tie: arg-max 0, right
            0, 0, 1}, 6, 3); // −0 then +0: the first, 1, so label 2 is wrong
        Matrix counter = track(backend.allocate(1, 1));
        backend.countCorrect(scores, targets, 0f, counter);
        assertEquals(4f, download(counter)[0], "rows 0, 2, 3 and 4 right");

        SplittableRandom random = new SplittableRandom(9);
        for (int cols : new int[] {7, 16, 17, 33}) {
            int rows = 200;
            float[] s = new float[rows * cols];
            for (int i = 0; i < s.length; i++) {
                // Few distinct values, so most rows hold ties for their maximum.
                s[i] = random.nextInt(4) * 0.25f;
            }
            float[] y = oneHot(random, rows, cols);
            assertEquals(expectedCorrect(s, y, rows, cols), countedCorrect(s, y, rows, cols), cols + " columns with ties");
        }
    }

    /** The backend's count of rows predicted right, threshold 0, from a fresh counter. */
    private float countedCorrect(float[] scores, float[] targets, int rows, int cols) {
        Matrix counter = track(backend.allocate(1, 1));
        backend.countCorrect(upload(scores, rows, cols), upload(targets, rows, cols), 0f, counter);
        return download(counter)[0];
    }

    /** Rows whose first arg-max of scores (under {@code >}) is the first arg-max of targets. */
    private static int expectedCorrect(float[] scores, float[] targets, int rows, int cols) {
        int expected = 0;
        for (int i = 0; i < rows; i++) {
            int best = 0;
            int label = 0;
            for (int j = 1; j < cols; j++) {
                if (scores[i * cols + j] > scores[i * cols + best]) {
                    best = j;
                }
                if (targets[i * cols + j] > targets[i * cols + label]) {
                    label = j;
                }
            }
            expected += best == label ? 1 : 0;
        }
        return expected;
    }

    // ---- optimizer updates --------------------------------------------------------------------

    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("matrixShapes")
    void optimizerUpdatesOverSeveralSteps(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 53L + cols);
        int n = rows * cols;
        float[] parameters = RandomValues.uniform(random, n);
        double[] sgd = toDouble(parameters);
        double[] momentum = toDouble(parameters);
        double[] velocity = new double[n];
        double[] adam = toDouble(parameters);
        double[] first = new double[n];
        double[] second = new double[n];
        Matrix sgdParameters = upload(parameters, rows, cols);
        Matrix momentumParameters = upload(parameters, rows, cols);
        Matrix momentumVelocity = track(backend.allocate(rows, cols));
        Matrix adamParameters = upload(parameters, rows, cols);
        Matrix adamFirst = track(backend.allocate(rows, cols));
        Matrix adamSecond = track(backend.allocate(rows, cols));
        Matrix gradient = track(backend.allocate(rows, cols));
        float lr = 0.05f;
        float mu = 0.9f;
        float decay = 0.3f;
        for (int step = 1; step <= 3; step++) {
            float[] g = RandomValues.uniform(random, n);
            backend.upload(g, gradient);
            AdamStep adamStep = new AdamStep(0.01f, 0.9f, 0.999f, 1e-8f, decay, step);
            backend.sgdUpdate(sgdParameters, gradient, lr, decay);
            backend.momentumUpdate(momentumParameters, gradient, momentumVelocity, lr, mu, decay);
            backend.adamUpdate(adamParameters, gradient, adamFirst, adamSecond, adamStep);
            for (int i = 0; i < n; i++) {
                sgd[i] -= lr * (g[i] + decay * sgd[i]);
                velocity[i] = mu * velocity[i] + g[i] + decay * momentum[i];
                momentum[i] -= lr * velocity[i];
                first[i] = 0.9 * first[i] + 0.1 * g[i];
                second[i] = 0.999 * second[i] + 0.001 * g[i] * g[i];
                double mHat = first[i] / (1 - Math.pow(0.9, step));
                double vHat = second[i] / (1 - Math.pow(0.999, step));
                adam[i] = adam[i] * (1 - 0.01 * decay) - 0.01 * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
        Tolerance.assertElementwise("sgdUpdate", cols, sgd, download(sgdParameters));
        Tolerance.assertElementwise("momentumUpdate parameters", cols, momentum, download(momentumParameters));
        Tolerance.assertElementwise("momentumUpdate velocity", cols, velocity, download(momentumVelocity));
        Tolerance.assertElementwise("adamUpdate parameters", cols, adam, download(adamParameters));
        Tolerance.assertElementwise("adamUpdate first moment", cols, first, download(adamFirst));
        Tolerance.assertElementwise("adamUpdate second moment", cols, second, download(adamSecond));
    }

    // ---- data movement ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}×{1}")
    @MethodSource("matrixShapes")
    void gatherRowsFillAndCopy(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 59L + cols);
        float[] source = RandomValues.uniform(random, rows * cols);
        int[] indices = new int[rows + 3];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = random.nextInt(rows);
        }
        int offset = 2;
        int take = Math.max(1, rows / 2);
        Matrix ms = upload(source, rows, cols);
        IndexVector mi = track(backend.allocateIndices(indices.length));
        backend.upload(indices, mi);
        Matrix destination = track(backend.allocate(take, cols));
        Matrix canary = canaryAfter(destination);
        backend.gatherRows(ms, mi, offset, destination);
        float[] expected = new float[take * cols];
        for (int r = 0; r < take; r++) {
            System.arraycopy(source, indices[offset + r] * cols, expected, r * cols, cols);
        }
        assertArrayEquals(expected, download(destination), "gatherRows copies rows exactly");
        assertCanary("gatherRows", canary);

        backend.fill(destination, 0.375f);
        float[] filled = new float[take * cols];
        Arrays.fill(filled, 0.375f);
        assertArrayEquals(filled, download(destination), "fill");
        assertCanary("fill", canary);

        Matrix copy = track(backend.allocate(rows, cols));
        backend.copy(ms, copy);
        assertArrayEquals(source, download(copy), "copy");
    }

    @Test
    void uploadDownloadRoundTripsExactly() {
        SplittableRandom random = new SplittableRandom(6);
        for (int[] shape : new int[][] {{1, 1}, {7, 33}, {1000, 65}}) {
            float[] values = RandomValues.uniform(random, shape[0] * shape[1]);
            values[0] = Float.MIN_VALUE;
            values[values.length - 1] = -Float.MAX_VALUE;
            assertArrayEquals(values, download(upload(values, shape[0], shape[1])));
        }
        assertArrayEquals(new float[7 * 3], download(track(backend.allocate(7, 3))), "allocate gives zeros");
    }

    // ---- the facade's checks and life cycle ---------------------------------------------------

    @Test
    void mismatchedShapesAreRejectedBeforeAnythingRuns() {
        Matrix a = track(backend.allocate(3, 4));
        Matrix b = track(backend.allocate(5, 6));
        Matrix c = track(backend.allocate(3, 6));
        assertThrows(IllegalArgumentException.class, () -> backend.gemm(false, false, 1f, a, b, 0f, c));
        assertThrows(IllegalArgumentException.class, () -> backend.hadamard(a, b, c));
        assertThrows(IllegalArgumentException.class, () -> backend.addRowVector(b, a));
        assertThrows(IllegalArgumentException.class, () -> backend.upload(new float[11], a));
        assertThrows(IllegalArgumentException.class, () -> backend.download(a, new float[13]));
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(0, 3));
        assertThrows(IllegalArgumentException.class, () -> backend.denseForward(a, b, c, Activation.SIGMOID, c));
    }

    @Test
    void aliasedOutputsAreRejected() {
        Matrix a = track(backend.allocate(4, 4));
        Matrix b = track(backend.allocate(4, 4));
        Matrix rowLoss = track(backend.allocate(4, 1));
        assertThrows(IllegalArgumentException.class, () -> backend.gemm(false, false, 1f, a, b, 0f, a));
        assertThrows(IllegalArgumentException.class, () -> backend.softmaxCrossEntropy(a, b, 1f, a, rowLoss));
        assertThrows(IllegalArgumentException.class, () -> backend.sgdUpdate(a, a, 0.1f, 0f));
    }

    @Test
    void gatherOutsideTheSourceIsRejected() {
        Matrix source = track(backend.allocate(4, 2));
        Matrix destination = track(backend.allocate(2, 2));
        IndexVector indices = track(backend.allocateIndices(3));
        backend.upload(new int[] {0, 1, 4}, indices);
        assertThrows(IllegalArgumentException.class, () -> backend.gatherRows(source, indices, 0, destination));
        assertThrows(IllegalArgumentException.class, () -> backend.gatherRows(source, indices, 2, destination));
        assertThrows(IllegalArgumentException.class, () -> backend.upload(new int[] {0, -1, 2}, indices));
    }

    @Test
    void closedMatricesAreRejectedAndClosingTwiceDoesNothing() {
        Matrix a = backend.allocate(2, 2);
        Matrix b = track(backend.allocate(2, 2));
        long live = backend.stats().liveBuffers();
        a.close();
        a.close();
        assertTrue(a.isClosed());
        assertEquals(live - 1, backend.stats().liveBuffers());
        assertThrows(IllegalStateException.class, () -> backend.copy(a, b));
        assertThrows(IllegalStateException.class, () -> backend.download(a, new float[4]));
    }

    @Test
    void matricesOfAnotherBackendAreRejected() {
        try (Backend other = Backends.open("reference")) {
            Matrix foreign = other.allocate(2, 2);
            Matrix mine = track(backend.allocate(2, 2));
            assertThrows(IllegalArgumentException.class, () -> backend.copy(foreign, mine));
        }
    }

    @Test
    void closingTheBackendReleasesEverythingAndRejectsLaterUse() {
        Backend separate = openBackend();
        Matrix m = separate.allocate(33, 7);
        separate.allocateIndices(5);
        separate.fill(m, 1f);
        assertEquals(2, separate.stats().liveBuffers());
        separate.close();
        separate.close();
        assertTrue(m.isClosed(), "closing a backend closes its matrices");
        assertEquals(0, separate.stats().liveBuffers());
        assertThrows(IllegalStateException.class, () -> separate.allocate(1, 1));
        m.close();
    }

    @Test
    void statsCountTransfersAndLaunches() {
        var before = backend.stats();
        Matrix m = upload(new float[12], 3, 4);
        backend.fill(m, 2f);
        download(m);
        var spent = backend.stats().minus(before);
        assertEquals(1, spent.hostToDeviceTransfers());
        assertEquals(48, spent.hostToDeviceBytes());
        assertEquals(1, spent.deviceToHostTransfers());
        assertTrue(spent.kernelLaunches() >= 1, "fill launched something");
    }

    // ---- soak: nothing leaks over many cycles ------------------------------------------------

    /** Cycles of allocate → one small training step → close; backends may lower it for slow devices. */
    protected int soakCycles() {
        return 2000;
    }

    /** Cycles of opening and closing a whole backend. */
    protected int reopenCycles() {
        return 30;
    }

    @Test
    void soakLeavesNoLiveBuffersAndFlatMemory() {
        long baseline = 0;
        int cycles = soakCycles();
        for (int cycle = 0; cycle < cycles; cycle++) {
            trainingStepCycle(backend, cycle);
            // The baseline half way: the first cycles also pay for one-off growth that is not a
            // leak (JIT compiler arenas, the heap expanding), which took a run in isolation from
            // 64 to 88 MiB at 1/10.
            if (cycle == cycles / 2) {
                baseline = settledMemory();
            }
        }
        assertEquals(0, backend.stats().liveBuffers(), "live buffers after " + cycles + " cycles");
        long growth = settledMemory() - baseline;
        assertTrue(growth < 64L << 20, "heap + resident memory grew by " + (growth >> 20) + " MiB over the last "
                + (cycles - cycles / 2) + " of " + cycles + " cycles");
        for (int cycle = 0; cycle < reopenCycles(); cycle++) {
            Backend fresh = openBackend();
            trainingStepCycle(fresh, cycle);
            fresh.close();
            assertEquals(0, fresh.stats().liveBuffers(), "a closed backend holds no buffers");
        }
    }

    /** One dense layer's forward, loss, backward and update on fresh buffers, all closed again. */
    private static void trainingStepCycle(Backend target, int cycle) {
        int batch = 1 + cycle % 7;
        try (Matrix x = target.allocate(batch, 33);
             Matrix w = target.allocate(10, 33);
             Matrix b = target.allocate(1, 10);
             Matrix out = target.allocate(batch, 10);
             Matrix y = target.allocate(batch, 10);
             Matrix delta = target.allocate(batch, 10);
             Matrix rowLoss = target.allocate(batch, 1);
             Matrix dw = target.allocate(10, 33);
             IndexVector order = target.allocateIndices(batch)) {
            target.fill(x, 0.5f);
            target.fill(w, 0.01f * (cycle % 5));
            target.fill(y, 0.1f);
            target.denseForward(x, w, b, Activation.IDENTITY, out);
            target.softmaxCrossEntropy(out, y, 1f / batch, delta, rowLoss);
            target.gemm(true, false, 1f, delta, x, 0f, dw);
            target.sgdUpdate(w, dw, 0.1f, 0f);
            int[] indices = new int[batch];
            target.upload(indices, order);
            target.sync();
        }
    }

    /** Used Java heap after a collection plus the process's resident set (native buffers live there). */
    private static long settledMemory() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long heap = runtime.totalMemory() - runtime.freeMemory();
        long resident = 0;
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    resident = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException notLinux) {
            // Without /proc the heap alone is compared.
        }
        return heap + resident;
    }

    // ---- helpers ------------------------------------------------------------------------------

    protected <T extends AutoCloseable> T track(T handle) {
        opened.add(handle);
        return handle;
    }

    protected Matrix upload(float[] values, int rows, int cols) {
        Matrix m = track(backend.allocate(rows, cols));
        backend.upload(values, m);
        return m;
    }

    protected float[] download(Matrix m) {
        float[] values = new float[(int) m.size()];
        backend.download(m, values);
        return values;
    }

    private Matrix canaryAfter(Matrix output) {
        Matrix canary = track(backend.allocate(output.rows(), output.cols()));
        backend.fill(canary, CANARY);
        return canary;
    }

    private void assertCanary(String what, Matrix canary) {
        for (float value : download(canary)) {
            if (value != CANARY) {
                fail(what + ": the canary after the output was overwritten (" + value + ")");
            }
        }
    }

    private void assertUnchanged(String what, float[] expected, Matrix m) {
        assertArrayEquals(expected, download(m), what + " changed but is an input");
    }

    private void closeNow(Matrix... matrices) {
        for (Matrix m : matrices) {
            m.close();
            opened.remove(m);
        }
    }

    private static float[] activations(SplittableRandom random, Activation f, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) f.apply(random.nextDouble(-3, 3));
        }
        return values;
    }

    private static float[] oneHot(SplittableRandom random, int rows, int cols) {
        float[] y = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            y[i * cols + random.nextInt(cols)] = 1f;
        }
        return y;
    }

    private static double[] toDouble(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }
}
