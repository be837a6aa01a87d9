package dev.bp4j.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH secondary metric for memory-bound operations: each measured call adds the bytes it must
 * read and write at the least (every input read once, every output written once), in units
 * of 10⁹, so the result line {@code <benchmark>:gbytes} reads in GB/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ByteRate {

    public double gbytes;

    @Setup(Level.Iteration)
    public void reset() {
        gbytes = 0;
    }

    /** The traffic of an elementwise operation over floats: (inputs + outputs) · 4 bytes each. */
    static double elementwiseGigabytes(long elements, int inputs, int outputs) {
        return (double) elements * Float.BYTES * (inputs + outputs) / 1e9;
    }
}
