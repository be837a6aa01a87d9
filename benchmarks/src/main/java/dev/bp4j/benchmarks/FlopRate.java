package dev.bp4j.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH secondary metric: each measured call adds the floating-point operations it did, in
 * units of 10⁹, and JMH divides the total by the iteration's time, so the result line
 * {@code <benchmark>:gflops} reads in GFLOP/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FlopRate {

    public double gflops;

    @Setup(Level.Iteration)
    public void reset() {
        gflops = 0;
    }

    /** A product of (m × k) and (k × n): m·n·k multiply-adds, 2·m·n·k operations. */
    static double gemmGigaflop(long m, long n, long k) {
        return 2.0 * m * n * k / 1e9;
    }
}
