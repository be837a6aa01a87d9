package dev.bp4j.opencl;

import dev.bp4j.api.Backend;
import dev.bp4j.api.IndexVector;

/** An index vector of the OpenCL backend: one device buffer of int32. */
final class OpenClIndexVector implements IndexVector {
    private final OpenClBackend owner;
    private final int length;
    private final DeviceBuffer buffer;

    OpenClIndexVector(OpenClBackend owner, int length, DeviceBuffer buffer) {
        this.owner = owner;
        this.length = length;
        this.buffer = buffer;
    }

    DeviceBuffer buffer() {
        return buffer;
    }

    @Override
    public int length() {
        return length;
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
