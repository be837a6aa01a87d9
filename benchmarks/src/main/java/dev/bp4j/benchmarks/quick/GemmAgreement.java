package dev.bp4j.benchmarks.quick;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.api.Matrix;

/**
 * Checks a square product C = A·B from the backend under test against the reference backend
 * before it is timed. The reference recomputes three slabs of rows (the first, the middle and
 * the last {@value #SLAB_ROWS}): whole rows cover every column, including the column tails, and
 * the three places catch wrong edges and wrong blocking in between, while the scalar reference
 * stays fast even at n = 4096.
 */
final class GemmAgreement {

    static final int SLAB_ROWS = 8;
    private static final double FLOAT_EPSILON = Math.ulp(1.0f);

    private GemmAgreement() {
    }

    /**
     * @throws IllegalStateException naming the backend, n and the first element that disagrees
     */
    static void check(String backendName, int n, float[] a, float[] b, float[] c) {
        int[] firstRows = slabStarts(n);
        int slabRows = Math.min(SLAB_ROWS, n);
        try (Backend reference = Backends.open("reference")) {
            Matrix bOnReference = upload(reference, b, n, n);
            Matrix bMagnitude = upload(reference, absolute(b), n, n);
            for (int first : firstRows) {
                float[] slab = new float[slabRows * n];
                System.arraycopy(a, first * n, slab, 0, slab.length);
                float[] expected = product(reference, slab, slabRows, n, bOnReference);
                // The same product on absolute values bounds each sum's terms, hence its rounding error.
                float[] magnitude = product(reference, absolute(slab), slabRows, n, bMagnitude);
                for (int i = 0; i < expected.length; i++) {
                    int row = first + i / n;
                    int col = i % n;
                    double allowed = (n + 4) * FLOAT_EPSILON * magnitude[i] + Float.MIN_NORMAL;
                    float actual = c[row * n + col];
                    if (!(Math.abs(actual - expected[i]) <= allowed)) {
                        throw new IllegalStateException("backend " + backendName + ", gemm n=" + n + ": element (" + row + ", "
                                + col + ") is " + actual + ", the reference gives " + expected[i] + " ± " + allowed
                                + "; not timing a wrong result");
                    }
                }
            }
        }
    }

    private static int[] slabStarts(int n) {
        int slabRows = Math.min(SLAB_ROWS, n);
        return new int[] {0, (n - slabRows) / 2, n - slabRows};
    }

    private static float[] product(Backend reference, float[] rows, int rowCount, int n, Matrix b) {
        Matrix a = upload(reference, rows, rowCount, n);
        Matrix c = reference.allocate(rowCount, n);
        reference.gemm(false, false, 1f, a, b, 0f, c);
        float[] result = new float[rowCount * n];
        reference.download(c, result);
        a.close();
        c.close();
        return result;
    }

    private static Matrix upload(Backend backend, float[] values, int rows, int cols) {
        Matrix matrix = backend.allocate(rows, cols);
        backend.upload(values, matrix);
        return matrix;
    }

    private static float[] absolute(float[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = Math.abs(values[i]);
        }
        return result;
    }
}
