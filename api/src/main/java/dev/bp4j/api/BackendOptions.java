package dev.bp4j.api;

import java.util.Optional;

/**
 * What a user asked of the backend.
 *
 * @param threads worker threads for CPU backends; 0 means one per available core, hardware
 *                threads of one core counted once ({@link ProcessorCores}); the system
 *                property {@code bp4j.threads} overrides 0
 * @param device  device selector for backends with several devices: an index or a name
 *                substring; null means the backend's default
 * @param strict  fail instead of falling back to another backend when the one asked for
 *                cannot be used
 */
public record BackendOptions(int threads, String device, boolean strict) {

    public static final BackendOptions DEFAULT = new BackendOptions(0, null, false);

    /**
     * More threads than cores only slow a step down; this many per core leaves room to test
     * oversubscription, and a count far beyond it is a typo that would otherwise spend half a
     * minute starting threads and end in the operating system's thread limit.
     */
    public static final int MAX_THREADS_PER_CORE = 16;

    public BackendOptions {
        threadsProblem(threads).ifPresent(problem -> {
            throw new IllegalArgumentException("threads: " + problem);
        });
    }

    /** The most threads a CPU backend may be asked for on this machine. */
    public static int maxThreads() {
        return MAX_THREADS_PER_CORE * Runtime.getRuntime().availableProcessors();
    }

    /**
     * What is wrong with {@code threads} as a thread count to ask for (0: all cores), for a
     * message that names the option before it; empty when nothing is.
     */
    public static Optional<String> threadsProblem(int threads) {
        if (threads >= 0 && threads <= maxThreads()) {
            return Optional.empty();
        }
        return Optional.of("expected 0 (all cores) or a count up to " + maxThreads() + " (" + MAX_THREADS_PER_CORE
                + " per core), got " + threads);
    }

    /** The thread count to use: the explicit option, else {@code bp4j.threads}, else one per core. */
    public int resolvedThreads() {
        if (threads > 0) {
            return threads;
        }
        String property = System.getProperty("bp4j.threads");
        if (property != null && !property.isBlank()) {
            try {
                int fromProperty = Integer.parseInt(property.trim());
                if (fromProperty > 0 && fromProperty <= maxThreads()) {
                    return fromProperty;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw new BackendSettingException("system property bp4j.threads: expected a count from 1 to " + maxThreads()
                    + " (" + MAX_THREADS_PER_CORE + " per core), got '" + property + "'");
        }
        return ProcessorCores.available();
    }
}
