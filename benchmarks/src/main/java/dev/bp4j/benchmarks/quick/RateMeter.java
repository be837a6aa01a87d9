package dev.bp4j.benchmarks.quick;

import java.util.Arrays;

/**
 * Times an operation that waits for its device before returning. Warm-up comes first: at least
 * two seconds, and on while the operation keeps getting faster. Vector API code runs hundreds of
 * times slower until C2 has compiled it, and the speed-up comes as a step after a second or more
 * on a loaded machine (a 128 × 128 product: 12 calls in JMH's first warm-up second, 12 000 in
 * its second; 0.02 GFLOP/s measured after a 0.1 s warm-up); GPU backends build kernels on first use.
 * Then five rounds of at least a fifth of the measuring time each; the median round's calls per
 * second is the result, which a burst of load on a shared machine moves less than a mean.
 */
final class RateMeter {

    private static final int ROUNDS = 5;
    private static final int MINIMUM_CALLS_PER_ROUND = 2;
    private static final long WARM_UP_WINDOW_NANOS = 250_000_000L;
    private static final long WARM_UP_MINIMUM_NANOS = 2_000_000_000L;
    private static final long WARM_UP_LIMIT_NANOS = 10_000_000_000L;
    /** A warm-up window must beat the best one so far by this factor to count as still speeding up. */
    private static final double STILL_SPEEDING_UP = 1.05;

    private final double secondsPerMeasurement;

    RateMeter(double secondsPerMeasurement) {
        if (!(secondsPerMeasurement > 0)) {
            throw new IllegalArgumentException("the measuring time must be positive, got " + secondsPerMeasurement + " s");
        }
        this.secondsPerMeasurement = secondsPerMeasurement;
    }

    /** Calls per second, the median over the rounds. */
    double callsPerSecond(Runnable call) {
        warmUp(call);
        long roundNanos = (long) (secondsPerMeasurement / ROUNDS * 1e9);
        double[] rates = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            rates[round] = runFor(call, roundNanos);
        }
        Arrays.sort(rates);
        return rates[ROUNDS / 2];
    }

    /** Runs windows of calls until, past the minimum, a window is no faster than the best before it. */
    private static void warmUp(Runnable call) {
        long start = System.nanoTime();
        double best = 0;
        while (true) {
            double rate = runFor(call, WARM_UP_WINDOW_NANOS);
            long elapsed = System.nanoTime() - start;
            boolean speedingUp = rate > best * STILL_SPEEDING_UP;
            best = Math.max(best, rate);
            if (elapsed >= WARM_UP_LIMIT_NANOS || (elapsed >= WARM_UP_MINIMUM_NANOS && !speedingUp)) {
                return;
            }
        }
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
