package dev.bp4j.benchmarks;

import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.Backends;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What every bp4j benchmark shares: the backend under test, chosen by name with
 * {@code -p backend=reference,cpu,opencl}, and the JVM it runs in.
 *
 * <p>JMH forks a fresh JVM for every combination of parameters, so each backend is measured in
 * a JVM that has never run another implementation of {@link Backend}: the JIT's profiles of
 * the interface calls stay monomorphic, as they are in a real training run. The forks get the
 * flags of the repository's jvm.options from {@link BenchmarkMain}, benchmarks.jar's entry point.
 *
 * <p>Subclasses open the backend in their trial setup, compute each measured operation once
 * and compare it with the reference backend before anything is timed ({@link ParityCheck});
 * every measured method ends by waiting for the device (a download or {@link Backend#sync}), so
 * asynchronous backends are timed to completion.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public abstract class BackendBenchmark {

    /** The registered backend name; one forked JVM per value. */
    @Param({"cpu"})
    public String backend;

    /** Worker threads for CPU backends; 0 means all cores (or the bp4j.threads property). */
    @Param({"0"})
    public int threads;

    /** The backend under test, behind the checking facade; open for the whole trial. */
    protected Backend tested;

    /**
     * Opens the backend strictly: a backend that cannot run here fails the trial instead of
     * silently measuring whatever {@code auto} would have chosen.
     */
    protected final Backend openTested() {
        tested = Backends.open(backend, new BackendOptions(threads, null, true), message -> { });
        return tested;
    }

    /** Names this trial in validation errors, e.g. {@code GemmBenchmark backend=cpu threads=0}. */
    protected String trialName() {
        return getClass().getSimpleName().replaceFirst("_jmhType.*$", "") + " backend=" + backend + " threads=" + threads;
    }

    /** Closing the backend releases every matrix the benchmark allocated on it. */
    @TearDown
    public void closeTested() {
        if (tested != null) {
            tested.close();
            tested = null;
        }
    }
}
