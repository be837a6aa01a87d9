package dev.bp4j.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH secondary metric for training: each measured step adds its batch size, so the result
 * line {@code <benchmark>:samples} reads in training samples per second.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class SampleRate {

    public long samples;

    @Setup(Level.Iteration)
    public void reset() {
        samples = 0;
    }
}
