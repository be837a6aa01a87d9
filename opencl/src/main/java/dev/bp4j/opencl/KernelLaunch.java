package dev.bp4j.opencl;

/**
 * One launch of a kernel: arguments in the kernel's order, then the range. A kernel object is
 * reused across launches (only changed arguments are set again, see {@link KernelArguments}),
 * which is safe because a backend is driven from one thread and clEnqueueNDRangeKernel
 * captures the arguments when it returns.
 */
final class KernelLaunch {
    private final DeviceContext context;
    private final KernelArguments kernel;
    private int next;
    private long bytesTouched;

    KernelLaunch(DeviceContext context, KernelArguments kernel) {
        this.context = context;
        this.kernel = kernel;
    }

    KernelLaunch buffer(DeviceBuffer buffer) {
        kernel.buffer(next++, buffer);
        bytesTouched += buffer.bytes();
        return this;
    }

    KernelLaunch integer(int value) {
        kernel.integer(next++, value);
        return this;
    }

    KernelLaunch real(float value) {
        kernel.real(next++, value);
        return this;
    }

    /** A 1-D launch of at least {@code items} work items in groups of {@code groupSize}. */
    void over(long items, int groupSize) {
        context.launch(kernel.kernel(), new long[] {roundUp(items, groupSize)}, new long[] {groupSize}, bytesTouched);
    }

    /** A 2-D launch covering (columns × rows) work items in (groupColumns × groupRows) groups. */
    void over(long columns, long rows, int groupColumns, int groupRows) {
        context.launch(kernel.kernel(), new long[] {roundUp(columns, groupColumns), roundUp(rows, groupRows)},
                new long[] {groupColumns, groupRows}, bytesTouched);
    }

    static long roundUp(long items, long multiple) {
        return (items + multiple - 1) / multiple * multiple;
    }
}
