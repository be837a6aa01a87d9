package dev.bp4j.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;

/**
 * One launch of a kernel: arguments in the kernel's order, then the range. A kernel object is
 * reused across launches, which is safe because a backend is driven from one thread and
 * clEnqueueNDRangeKernel captures the arguments when it returns.
 */
final class KernelLaunch {
    private final DeviceContext context;
    private final cl_kernel kernel;
    private int next;
    private long bytesTouched;

    KernelLaunch(DeviceContext context, cl_kernel kernel) {
        this.context = context;
        this.kernel = kernel;
    }

    KernelLaunch buffer(DeviceBuffer buffer) {
        CL.clSetKernelArg(kernel, next++, Sizeof.cl_mem, Pointer.to(buffer.memory()));
        bytesTouched += buffer.bytes();
        return this;
    }

    KernelLaunch integer(int value) {
        CL.clSetKernelArg(kernel, next++, Sizeof.cl_int, Pointer.to(new int[] {value}));
        return this;
    }

    KernelLaunch real(float value) {
        CL.clSetKernelArg(kernel, next++, Sizeof.cl_float, Pointer.to(new float[] {value}));
        return this;
    }

    /** A 1-D launch of at least {@code items} work items in groups of {@code groupSize}. */
    void over(long items, int groupSize) {
        context.launch(kernel, new long[] {roundUp(items, groupSize)}, new long[] {groupSize}, bytesTouched);
    }

    /** A 2-D launch covering (columns × rows) work items in (groupColumns × groupRows) groups. */
    void over(long columns, long rows, int groupColumns, int groupRows) {
        context.launch(kernel, new long[] {roundUp(columns, groupColumns), roundUp(rows, groupRows)},
                new long[] {groupColumns, groupRows}, bytesTouched);
    }

    static long roundUp(long items, long multiple) {
        return (items + multiple - 1) / multiple * multiple;
    }
}
