package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.Backends;
import dev.bp4j.api.DropoutMask;
import dev.bp4j.api.Matrix;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Results must not depend on when the JIT compiles a kernel, on which run it is, or on the
 * thread count: every reduction has a fixed order. Thousands of calls on one input carry each
 * reducing kernel from the interpreter through C1 into C2, where a reduceLanes(ADD) would
 * change bits. Whole training runs at one, two and three threads are compared bit for bit in
 * the trainer's DeterminismTest.
 */
class DeterminismTest {

    private static final int CALLS = 3000;

    @Test
    void everyReducingOperationGivesTheSameBitsOnEveryCall() {
        try (Backend backend = Backends.open("cpu", new BackendOptions(2, null, true), message -> { })) {
            SplittableRandom random = new SplittableRandom(11);
            Matrix logits = filled(backend, random, 64, 10);
            Matrix targets = filled(backend, random, 64, 10);
            Matrix gradient = backend.allocate(64, 10);
            Matrix rowLoss = backend.allocate(64, 1);
            Matrix wide = filled(backend, random, 200, 300);
            Matrix sums = backend.allocate(1, 300);
            Matrix left = filled(backend, random, 37, 301);
            Matrix right = filled(backend, random, 37, 45);
            Matrix product = backend.allocate(301, 45);
            assertStable(backend, rowLoss, b -> b.softmaxCrossEntropy(logits, targets, 0.5f, gradient, rowLoss));
            assertStable(backend, gradient, b -> b.softmaxCrossEntropy(logits, targets, 0.5f, gradient, rowLoss));
            assertStable(backend, rowLoss, b -> b.sigmoidCrossEntropy(logits, targets, 0.5f, gradient, rowLoss));
            assertStable(backend, rowLoss, b -> b.squaredError(logits, targets, 0.5f, gradient, rowLoss));
            assertStable(backend, sums, b -> b.columnSums(0.25f, wide, 0f, sums));
            assertStable(backend, product, b -> b.gemm(true, false, 1f, left, right, 0f, product));
            Matrix squares = backend.allocate(1, 1);
            assertStable(backend, squares, b -> {
                b.fill(squares, 0f);
                b.sumOfSquares(wide, squares);
            });
            Matrix activations = backend.allocate(200, 300);
            Matrix dropped = backend.allocate(200, 300);
            DropoutMask mask = new DropoutMask(0.3f, 5, 6);
            assertStable(backend, dropped, b -> b.dropoutForward(Activation.TANH, wide, activations, mask, dropped));
        }
    }

    private static void assertStable(Backend backend, Matrix result, Consumer<Backend> operation) {
        float[] first = new float[result.rows() * result.cols()];
        operation.accept(backend);
        backend.download(result, first);
        float[] again = new float[first.length];
        for (int call = 1; call < CALLS; call++) {
            operation.accept(backend);
            backend.download(result, again);
            for (int i = 0; i < first.length; i++) {
                if (Float.floatToRawIntBits(first[i]) != Float.floatToRawIntBits(again[i])) {
                    assertEquals(first[i], again[i], 0f, "element " + i + " changed at call " + call);
                }
            }
        }
    }


    private static Matrix filled(Backend backend, SplittableRandom random, int rows, int cols) {
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 4 - 2);
        }
        Matrix m = backend.allocate(rows, cols);
        backend.upload(values, m);
        return m;
    }
}
