package dev.bp4j.trainer.bench;

import java.util.Arrays;

/**
 * Times an operation that waits for its device before returning: warm-up calls first (the JIT
 * compiles the hot paths, backends build kernels and fill caches), then five rounds of at least
 * a fifth of the measuring time each; the median round's calls per second is the result, which
 * a burst of load on a shared machine moves less than a mean.
 */
final class RateMeter {

    private static final int ROUNDS = 5;
    private static final int MINIMUM_CALLS_PER_ROUND = 2;

    private final double secondsPerMeasurement;

    RateMeter(double secondsPerMeasurement) {
        if (!(secondsPerMeasurement > 0)) {
            throw new IllegalArgumentException("the measuring time must be positive, got " + secondsPerMeasurement + " s");
        }
        this.secondsPerMeasurement = secondsPerMeasurement;
    }

    /** Calls per second, the median over the rounds. */
    double callsPerSecond(Runnable call) {
        long roundNanos = (long) (secondsPerMeasurement / ROUNDS * 1e9);
        runFor(call, roundNanos);
        double[] rates = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            rates[round] = runFor(call, roundNanos);
        }
        Arrays.sort(rates);
        return rates[ROUNDS / 2];
    }

    private static double runFor(Runnable call, long nanos) {
        long start = System.nanoTime();
        long elapsed;
        int calls = 0;
        do {
            call.run();
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos || calls < MINIMUM_CALLS_PER_ROUND);
        return calls / (elapsed / 1e9);
    }
}
