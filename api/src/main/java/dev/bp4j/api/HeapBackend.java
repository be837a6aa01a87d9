package dev.bp4j.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A backend that computes on the Java heap (reference, cpu), synchronously: its matrices and
 * index vectors are arrays ({@link HeapMatrix}, {@link HeapIndexVector}), transfers are array
 * copies, and every operation has finished when it returns. This class holds that memory side,
 * counts it in the {@link BackendCounters} and closes the handles still open when the backend
 * closes; a subclass adds the kernels.
 */
public abstract class HeapBackend implements Backend {
    private final BackendCounters counters = new BackendCounters();
    private final Set<AutoCloseable> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    /** Where the kernels count their launches. */
    protected final BackendCounters counters() {
        return counters;
    }

    /** The elements of one of this backend's matrices, for its kernels. */
    protected static float[] data(Matrix matrix) {
        return ((HeapMatrix) matrix).data();
    }

    /** Operations run on the calling thread, or join their workers, before they return. */
    @Override
    public final boolean finishesOnReturn() {
        return true;
    }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public final Matrix allocate(int rows, int cols) {
        return track(new HeapMatrix(this, rows, cols));
    }

    @Override
    public final void upload(float[] source, Matrix destination) {
        System.arraycopy(source, 0, data(destination), 0, source.length);
        counters.uploaded(4L * source.length);
    }

    @Override
    public final void download(Matrix source, float[] destination) {
        System.arraycopy(data(source), 0, destination, 0, destination.length);
        counters.downloaded(4L * destination.length);
    }

    @Override
    public final IndexVector allocateIndices(int length) {
        return track(new HeapIndexVector(this, length));
    }

    @Override
    public final void upload(int[] source, IndexVector destination) {
        System.arraycopy(source, 0, ((HeapIndexVector) destination).indices(), 0, source.length);
        counters.uploaded(4L * source.length);
    }

    @Override
    public final void sync() {
        // Every operation has finished when it returns.
    }

    // ---- life cycle ---------------------------------------------------------------------------

    @Override
    public final BackendStats stats() {
        return counters.snapshot();
    }

    /** Closes every matrix and index vector still open; a subclass that holds more closes it after. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable handle : new ArrayList<>(live)) {
            try {
                handle.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + handle + ": " + e.getMessage(), e);
            }
        }
    }

    private <T extends AutoCloseable> T track(T handle) {
        live.add(handle);
        counters.allocated();
        return handle;
    }

    /** Called by a handle's close; a handle released twice is counted once. */
    final void released(AutoCloseable handle) {
        if (live.remove(handle)) {
            counters.released();
        }
    }
}
