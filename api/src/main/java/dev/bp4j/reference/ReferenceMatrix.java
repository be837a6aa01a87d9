package dev.bp4j.reference;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;

/** A matrix of the reference backend: a plain row-major float array on the Java heap. */
final class ReferenceMatrix implements Matrix {
    private final ReferenceBackend owner;
    private final int rows;
    private final int cols;
    private float[] data;

    ReferenceMatrix(ReferenceBackend owner, int rows, int cols) {
        this.owner = owner;
        this.rows = rows;
        this.cols = cols;
        this.data = new float[rows * cols];
    }

    /** The elements; callers in this package reach them only through a live matrix. */
    float[] data() {
        return data;
    }

    float get(int row, int col) {
        return data[row * cols + col];
    }

    void set(int row, int col, float value) {
        data[row * cols + col] = value;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public Backend owner() {
        return owner;
    }

    @Override
    public boolean isClosed() {
        return data == null;
    }

    @Override
    public void close() {
        if (data != null) {
            data = null;
            owner.released(this);
        }
    }
}
