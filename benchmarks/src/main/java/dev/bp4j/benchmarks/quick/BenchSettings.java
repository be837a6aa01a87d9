package dev.bp4j.benchmarks.quick;

import java.util.List;

/**
 * What {@code bp4j bench} measures.
 *
 * @param backends backend names; empty means every usable backend except the scalar reference
 * @param sizes    n of the square products
 * @param threads  worker threads for CPU backends, 0 for all cores
 * @param seconds  measuring time per figure, after warm-up
 */
public record BenchSettings(List<String> backends, int[] sizes, int threads, double seconds) {

    /** The documented quick subset: gemm at 128, 256, 512 and 1024, one second each. */
    public static final int[] DEFAULT_SIZES = {128, 256, 512, 1024};

    /** The reference backend is an oracle, not a contender: it is timed only up to this n. */
    public static final int REFERENCE_LARGEST_N = 512;

    public BenchSettings {
        backends = List.copyOf(backends);
        sizes = sizes.clone();
        for (int n : sizes) {
            if (n < 1) {
                throw new IllegalArgumentException("matrix sizes must be positive, got " + n);
            }
        }
        if (sizes.length == 0) {
            throw new IllegalArgumentException("at least one matrix size is needed");
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (all cores) or positive, got " + threads);
        }
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("the measuring time must be positive, got " + seconds + " s");
        }
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }
}
