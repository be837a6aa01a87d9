package dev.bp4j.cpu;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;

/** A matrix of the cpu backend: a row-major float array on the Java heap, owned by the caller. */
final class CpuMatrix implements Matrix {
    private final CpuBackend owner;
    private final int rows;
    private final int cols;
    private float[] data;

    CpuMatrix(CpuBackend owner, int rows, int cols) {
        this.owner = owner;
        this.rows = rows;
        this.cols = cols;
        this.data = new float[rows * cols];
    }

    /** The elements, for the backend's kernels; null once closed (the facade rejects closed matrices first). */
    float[] data() {
        return data;
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
