package dev.bp4j.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;

import java.util.Arrays;

/**
 * A kernel object and the argument values last set on it. Setting an argument is a native call
 * each, and a training step launches the same kernels on the same buffers every time, so an
 * argument is set only when it changes: a dense-layer gemm then costs one enqueue instead of
 * eighteen calls more, which matters at small batches where launches dominate.
 */
final class KernelArguments {
    private final cl_kernel kernel;
    /** Per argument index: the DeviceBuffer, Integer or Float last set, or null. */
    private Object[] current = new Object[8];

    KernelArguments(cl_kernel kernel) {
        this.kernel = kernel;
    }

    cl_kernel kernel() {
        return kernel;
    }

    void buffer(int index, DeviceBuffer buffer) {
        // Identity: a released buffer's object is never reused, even if the driver reuses its handle.
        if (slot(index) != buffer) {
            CL.clSetKernelArg(kernel, index, Sizeof.cl_mem, Pointer.to(buffer.memory()));
            current[index] = buffer;
        }
    }

    void integer(int index, int value) {
        if (!(slot(index) instanceof Integer set && set == value)) {
            CL.clSetKernelArg(kernel, index, Sizeof.cl_int, Pointer.to(new int[] {value}));
            current[index] = value;
        }
    }

    void real(int index, float value) {
        // Bits, not ==: 0.0 and −0.0 differ as arguments, and NaN must match itself.
        if (!(slot(index) instanceof Float set && Float.floatToRawIntBits(set) == Float.floatToRawIntBits(value))) {
            CL.clSetKernelArg(kernel, index, Sizeof.cl_float, Pointer.to(new float[] {value}));
            current[index] = value;
        }
    }

    private Object slot(int index) {
        if (index >= current.length) {
            current = Arrays.copyOf(current, Math.max(index + 1, 2 * current.length));
        }
        return current[index];
    }
}
