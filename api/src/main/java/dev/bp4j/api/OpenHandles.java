package dev.bp4j.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The matrices and index vectors a backend has handed out and not yet seen closed, for backends
 * whose handles hold nothing but host memory: it creates them ({@link HeapMatrix},
 * {@link HeapIndexVector}), keeps the live-buffer count of their {@link BackendCounters} and
 * closes what is left when the backend closes.
 */
public final class OpenHandles {
    private final BackendCounters counters;
    private final Set<AutoCloseable> live = Collections.newSetFromMap(new IdentityHashMap<>());

    public OpenHandles(BackendCounters counters) {
        this.counters = counters;
    }

    /** A new zeroed (rows × cols) heap matrix of {@code owner}, tracked until closed. */
    public HeapMatrix matrix(Backend owner, int rows, int cols) {
        return track(new HeapMatrix(owner, this, rows, cols));
    }

    /** A new zeroed heap index vector of {@code owner}, tracked until closed. */
    public HeapIndexVector indices(Backend owner, int length) {
        return track(new HeapIndexVector(owner, this, length));
    }

    private <T extends AutoCloseable> T track(T handle) {
        live.add(handle);
        counters.allocated();
        return handle;
    }

    /** Called by a handle's close; a handle released twice is counted once. */
    void released(AutoCloseable handle) {
        if (live.remove(handle)) {
            counters.released();
        }
    }

    /** Closes every handle still open, as the backend's own close does. */
    public void closeAll() {
        for (AutoCloseable handle : new ArrayList<>(live)) {
            try {
                handle.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + handle + ": " + e.getMessage(), e);
            }
        }
    }
}
