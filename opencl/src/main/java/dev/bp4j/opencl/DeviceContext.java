package dev.bp4j.opencl;

import dev.bp4j.api.BackendCounters;
import dev.bp4j.api.DeviceOutOfMemoryException;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_queue_properties;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A context and its one in-order command queue on one device, and everything that crosses
 * them: buffer allocation, transfers and kernel launches, each counted in {@link BackendCounters}.
 * Only {@link #read} and {@link #finish} wait for the device.
 *
 * <p>Out of memory surfaces in three places on real drivers: at clCreateBuffer, at the first
 * command that touches a lazily allocated buffer, and at clFinish. Each becomes a
 * {@link DeviceOutOfMemoryException} with the bytes the failing step needed and what this
 * context believes is still free (the global size minus what it holds; OpenCL has no portable
 * free-memory query).
 */
final class DeviceContext implements AutoCloseable {

    /** 256 Mi elements: 1 GiB of staging per chunk, below the 2 GiB limit of a direct buffer. */
    private static final int STAGING_ELEMENTS = 1 << 28;

    private final OpenClDevice device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final BackendCounters counters = new BackendCounters();
    /** Host copies that enqueued, non-blocking writes read from: they must stay alive until the queue drains. */
    private final List<ByteBuffer> pendingUploads = new ArrayList<>();
    private long heldBytes;
    /** Bytes allocated since the queue last drained, the best account of what a failing clFinish needed. */
    private long bytesSinceFinish;
    private boolean closed;

    DeviceContext(OpenClDevice device) {
        this.device = device;
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL.CL_CONTEXT_PLATFORM, device.platform());
        this.context = CL.clCreateContext(properties, 1, new cl_device_id[] {device.id()}, null, null, null);
        try {
            this.queue = majorVersion(device.openClVersion()) >= 2
                    ? CL.clCreateCommandQueueWithProperties(context, device.id(), new cl_queue_properties(), null)
                    : createLegacyQueue(context, device.id());
        } catch (RuntimeException e) {
            CL.clReleaseContext(context);
            throw e;
        }
    }

    @SuppressWarnings("deprecation")
    private static cl_command_queue createLegacyQueue(cl_context context, cl_device_id device) {
        return CL.clCreateCommandQueue(context, device, 0, null);
    }

    /** "OpenCL 3.0 CUDA" → 3. */
    private static int majorVersion(String version) {
        String[] words = version.split(" ");
        return words.length > 1 && !words[1].isEmpty() && Character.isDigit(words[1].charAt(0))
                ? words[1].charAt(0) - '0' : 1;
    }

    OpenClDevice device() {
        return device;
    }

    cl_context context() {
        return context;
    }

    BackendCounters counters() {
        return counters;
    }

    // ---- buffers ------------------------------------------------------------------------------

    /** A zero-filled buffer; the fill makes lazily allocating drivers commit the memory now. */
    DeviceBuffer allocate(long bytes) {
        cl_mem memory;
        try {
            memory = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes, null, null);
        } catch (CLException e) {
            throw translate(e, bytes);
        }
        DeviceBuffer buffer = new DeviceBuffer(memory, bytes);
        heldBytes += bytes;
        bytesSinceFinish += bytes;
        counters.allocated();
        try {
            CL.clEnqueueFillBuffer(queue, memory, Pointer.to(new float[] {0f}), Sizeof.cl_float, 0, bytes, 0, null, null);
            counters.launched(1);
        } catch (CLException e) {
            release(buffer);
            throw translate(e, bytes);
        }
        return buffer;
    }

    void release(DeviceBuffer buffer) {
        if (!buffer.isReleased()) {
            buffer.markReleased();
            heldBytes -= buffer.bytes();
            counters.released();
            CL.clReleaseMemObject(buffer.memory());
        }
    }

    // ---- transfers ----------------------------------------------------------------------------

    /**
     * Enqueues a copy of {@code source} into the buffer without waiting: the values are staged
     * in direct memory, at most {@link #STAGING_ELEMENTS} per chunk, because a non-blocking
     * write may read its host memory until the queue drains and the heap may move arrays.
     */
    void write(float[] source, DeviceBuffer destination) {
        for (int start = 0; start < source.length; start += STAGING_ELEMENTS) {
            int count = Math.min(STAGING_ELEMENTS, source.length - start);
            ByteBuffer staging = ByteBuffer.allocateDirect(Float.BYTES * count).order(ByteOrder.nativeOrder());
            staging.asFloatBuffer().put(source, start, count);
            enqueueWrite(staging, destination, (long) Float.BYTES * start);
        }
        counters.uploaded((long) Float.BYTES * source.length);
    }

    void write(int[] source, DeviceBuffer destination) {
        for (int start = 0; start < source.length; start += STAGING_ELEMENTS) {
            int count = Math.min(STAGING_ELEMENTS, source.length - start);
            ByteBuffer staging = ByteBuffer.allocateDirect(Integer.BYTES * count).order(ByteOrder.nativeOrder());
            staging.asIntBuffer().put(source, start, count);
            enqueueWrite(staging, destination, (long) Integer.BYTES * start);
        }
        counters.uploaded((long) Integer.BYTES * source.length);
    }

    private void enqueueWrite(ByteBuffer staging, DeviceBuffer destination, long offset) {
        try {
            CL.clEnqueueWriteBuffer(queue, destination.memory(), false, offset, staging.capacity(), Pointer.to(staging),
                    0, null, null);
        } catch (CLException e) {
            throw translate(e, destination.bytes());
        }
        pendingUploads.add(staging);
    }

    /** Waits for every enqueued command, then copies the buffer into {@code destination}. */
    void read(DeviceBuffer source, float[] destination) {
        try {
            CL.clEnqueueReadBuffer(queue, source.memory(), true, 0, Float.BYTES * (long) destination.length,
                    Pointer.to(destination), 0, null, null);
        } catch (CLException e) {
            throw translate(e, bytesSinceFinish);
        }
        drained();
        counters.downloaded(Float.BYTES * (long) destination.length);
    }

    void finish() {
        try {
            CL.clFinish(queue);
        } catch (CLException e) {
            throw translate(e, bytesSinceFinish);
        }
        drained();
    }

    private void drained() {
        pendingUploads.clear();
        bytesSinceFinish = 0;
    }

    // ---- launches -----------------------------------------------------------------------------

    /** Enqueues a kernel whose arguments are set; {@code bytes} is what it touches, for out-of-memory reports. */
    void launch(cl_kernel kernel, long[] global, long[] local, long bytes) {
        try {
            CL.clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null);
        } catch (CLException e) {
            throw translate(e, bytes);
        }
        counters.launched(1);
    }

    // ---- errors -------------------------------------------------------------------------------

    RuntimeException translate(CLException e, long requestedBytes) {
        int status = e.getStatus();
        if (status == CL.CL_INVALID_BUFFER_SIZE && requestedBytes > device.largestAllocationBytes()) {
            return new DeviceOutOfMemoryException(device.name() + " (largest single allocation "
                    + device.largestAllocationBytes() + " bytes)", requestedBytes,
                    Math.min(device.largestAllocationBytes(), device.globalMemoryBytes() - heldBytes), e);
        }
        if (status == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL.CL_OUT_OF_RESOURCES
                || status == CL.CL_OUT_OF_HOST_MEMORY) {
            return new DeviceOutOfMemoryException(device.name(), requestedBytes,
                    Math.max(0, device.globalMemoryBytes() - heldBytes), e);
        }
        return new IllegalStateException(device.name() + ": OpenCL call failed: " + e.getMessage(), e);
    }

    /** Releases the queue and the context; buffers must have been released first. Never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pendingUploads.clear();
        try {
            CL.clFinish(queue);
        } catch (CLException e) {
            // A failed device still has to give back its queue and context, which follow.
        }
        try {
            CL.clReleaseCommandQueue(queue);
        } finally {
            CL.clReleaseContext(context);
        }
    }
}
