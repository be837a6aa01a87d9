package dev.bp4j.api;

/**
 * What a user asked of the backend.
 *
 * @param threads worker threads for CPU backends; 0 means all available cores
 *                (the system property {@code bp4j.threads} overrides 0)
 * @param device  device selector for backends with several devices: an index or a name
 *                substring; null means the backend's default
 * @param strict  fail instead of falling back to another backend when the one asked for
 *                cannot be used
 */
public record BackendOptions(int threads, String device, boolean strict) {

    public static final BackendOptions DEFAULT = new BackendOptions(0, null, false);

    public BackendOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (all cores) or positive, got " + threads);
        }
    }

    /** The thread count to use: the explicit option, else {@code bp4j.threads}, else all cores. */
    public int resolvedThreads() {
        if (threads > 0) {
            return threads;
        }
        String property = System.getProperty("bp4j.threads");
        if (property != null && !property.isBlank()) {
            try {
                int fromProperty = Integer.parseInt(property.trim());
                if (fromProperty > 0) {
                    return fromProperty;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("system property bp4j.threads: expected a positive integer, got '" + property + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
