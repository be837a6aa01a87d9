package dev.bp4j.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The matrices and index vectors a backend has handed out and not yet seen closed, for backends
 * whose handles hold nothing but host memory: it keeps the live-buffer count of their
 * {@link BackendCounters} and closes what is left when the backend closes.
 */
public final class OpenHandles {
    private final BackendCounters counters;
    private final Set<AutoCloseable> live = Collections.newSetFromMap(new IdentityHashMap<>());

    public OpenHandles(BackendCounters counters) {
        this.counters = counters;
    }

    /** Records a new handle and returns it. */
    public <T extends AutoCloseable> T track(T handle) {
        live.add(handle);
        counters.allocated();
        return handle;
    }

    /** Called by a handle's close; a handle released twice is counted once. */
    public void released(AutoCloseable handle) {
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
