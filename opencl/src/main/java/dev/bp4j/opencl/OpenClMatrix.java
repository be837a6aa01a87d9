package dev.bp4j.opencl;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;

/** A matrix of the OpenCL backend: one device buffer of rows·cols floats, row-major. */
final class OpenClMatrix implements Matrix {
    private final OpenClBackend owner;
    private final int rows;
    private final int cols;
    private final DeviceBuffer buffer;

    OpenClMatrix(OpenClBackend owner, int rows, int cols, DeviceBuffer buffer) {
        this.owner = owner;
        this.rows = rows;
        this.cols = cols;
        this.buffer = buffer;
    }

    DeviceBuffer buffer() {
        return buffer;
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
        return buffer.isReleased();
    }

    @Override
    public void close() {
        owner.release(this, buffer);
    }
}
