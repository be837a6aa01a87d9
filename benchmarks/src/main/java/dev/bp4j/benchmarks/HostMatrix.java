package dev.bp4j.benchmarks;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;

/**
 * A row-major (rows × cols) float matrix on the Java heap: the seeded inputs a benchmark
 * uploads to the backend under test and to the reference backend alike.
 */
record HostMatrix(int rows, int cols, float[] values) {

    HostMatrix {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException("(" + rows + " × " + cols + ") needs " + (long) rows * cols
                    + " values, got " + values.length);
        }
    }

    static HostMatrix uniform(SeededInputs inputs, int rows, int cols, float low, float high) {
        return new HostMatrix(rows, cols, inputs.uniform((long) rows * cols, low, high));
    }

    float at(int row, int col) {
        return values[row * cols + col];
    }

    /** Element (row, col) of this matrix or of its transpose. */
    float at(boolean transposed, int row, int col) {
        return transposed ? at(col, row) : at(row, col);
    }

    /** |x| elementwise: the magnitudes from which tolerances of sums are computed. */
    HostMatrix abs() {
        float[] magnitudes = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            magnitudes[i] = Math.abs(values[i]);
        }
        return new HostMatrix(rows, cols, magnitudes);
    }

    /** A new matrix on the backend holding these values; the caller owns it. */
    Matrix uploadTo(Backend backend) {
        Matrix matrix = backend.allocate(rows, cols);
        backend.upload(values, matrix);
        return matrix;
    }

    /** Waits for the backend and copies the matrix to the heap. */
    static HostMatrix download(Backend backend, Matrix matrix) {
        float[] values = new float[Math.toIntExact(matrix.size())];
        backend.download(matrix, values);
        return new HostMatrix(matrix.rows(), matrix.cols(), values);
    }
}
