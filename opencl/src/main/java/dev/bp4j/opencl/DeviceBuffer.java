package dev.bp4j.opencl;

import org.jocl.cl_mem;

/** One cl_mem of a known size; released once, by {@link DeviceContext#release}. */
final class DeviceBuffer {
    private final cl_mem memory;
    private final long bytes;
    private boolean released;

    DeviceBuffer(cl_mem memory, long bytes) {
        this.memory = memory;
        this.bytes = bytes;
    }

    cl_mem memory() {
        return memory;
    }

    long bytes() {
        return bytes;
    }

    boolean isReleased() {
        return released;
    }

    void markReleased() {
        released = true;
    }
}
