package dev.bp4j.api;

/**
 * A matrix held in a row-major float array on the Java heap: the storage of the backends that
 * compute on the host (reference, cpu). Created through {@link HeapBackend#allocate}, which
 * tracks it until it is closed; only its backend reaches the array.
 */
public final class HeapMatrix implements Matrix {
    private final HeapBackend owner;
    private final int rows;
    private final int cols;
    private float[] data;

    HeapMatrix(HeapBackend owner, int rows, int cols) {
        this.owner = owner;
        this.rows = rows;
        this.cols = cols;
        this.data = new float[rows * cols];
    }

    /** The elements, for the owning backend's kernels; null once closed (the facade rejects closed matrices first). */
    public float[] data() {
        return data;
    }

    public float get(int row, int col) {
        return data[row * cols + col];
    }

    public void set(int row, int col, float value) {
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
