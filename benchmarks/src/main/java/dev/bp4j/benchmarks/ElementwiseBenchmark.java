package dev.bp4j.benchmarks;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.api.Matrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The memory-bound operations over {@code size} floats (16M by default, far beyond the caches),
 * each writing a separate output so the traffic is the full (inputs + 1) · 4 bytes per element:
 * {@code hadamard} (a ⊙ b), {@code sigmoidForward} (σ(z)), {@code sigmoidBackward}
 * (g ⊙ a(1 − a)) and {@code copy}, the backend's own bandwidth ceiling for the other three.
 * {@code :gbytes} gives GB/s.
 */
public class ElementwiseBenchmark extends BackendBenchmark {

    private static final long SEED = 20_240_003L;
    /** Row length of the benchmarked matrices; sizes that it does not divide become one row. */
    private static final int ROW_LENGTH = 4096;

    @Param({"16777216"})
    public int size;

    private Matrix first;
    private Matrix second;
    private Matrix activations;
    private Matrix result;
    private double binaryGigabytes;
    private double unaryGigabytes;

    @Setup
    public void prepare() {
        openTested();
        int rows = size % ROW_LENGTH == 0 ? size / ROW_LENGTH : 1;
        int cols = size / rows;
        SeededInputs seeded = new SeededInputs(SEED);
        HostMatrix hostFirst = HostMatrix.uniform(seeded, rows, cols, -8f, 8f);
        HostMatrix hostSecond = HostMatrix.uniform(seeded, rows, cols, -1f, 1f);
        HostMatrix hostActivations = HostMatrix.uniform(seeded, rows, cols, 0f, 1f);
        first = hostFirst.uploadTo(tested);
        second = hostSecond.uploadTo(tested);
        activations = hostActivations.uploadTo(tested);
        result = tested.allocate(rows, cols);
        binaryGigabytes = ByteRate.elementwiseGigabytes(size, 2, 1);
        unaryGigabytes = ByteRate.elementwiseGigabytes(size, 1, 1);
        validate(hostFirst, hostSecond, hostActivations);
    }

    /** The setup cannot know which method JMH will time, so all four are validated. */
    private void validate(HostMatrix hostFirst, HostMatrix hostSecond, HostMatrix hostActivations) {
        ParityCheck check = new ParityCheck(trialName() + " size=" + size);
        int cols = hostFirst.cols();
        try (Backend reference = Backends.open("reference")) {
            Matrix refFirst = hostFirst.uploadTo(reference);
            Matrix refSecond = hostSecond.uploadTo(reference);
            Matrix refActivations = hostActivations.uploadTo(reference);
            Matrix refResult = reference.allocate(hostFirst.rows(), cols);

            runHadamard();
            reference.hadamard(refFirst, refSecond, refResult);
            check.elementwise("hadamard", cols, HostMatrix.download(reference, refResult).values(),
                    HostMatrix.download(tested, result).values());

            runSigmoidForward();
            reference.activate(Activation.SIGMOID, refFirst, refResult);
            check.elementwise("sigmoid forward", cols, HostMatrix.download(reference, refResult).values(),
                    HostMatrix.download(tested, result).values());

            runSigmoidBackward();
            reference.activationBackward(Activation.SIGMOID, refActivations, refSecond, refResult);
            check.elementwise("sigmoid backward", cols, HostMatrix.download(reference, refResult).values(),
                    HostMatrix.download(tested, result).values());

            runCopy();
            check.elementwise("copy", cols, hostFirst.values(), HostMatrix.download(tested, result).values());
        }
    }

    @Benchmark
    public Matrix hadamard(ByteRate rate) {
        rate.gbytes += binaryGigabytes;
        return runHadamard();
    }

    @Benchmark
    public Matrix sigmoidForward(ByteRate rate) {
        rate.gbytes += unaryGigabytes;
        return runSigmoidForward();
    }

    @Benchmark
    public Matrix sigmoidBackward(ByteRate rate) {
        rate.gbytes += binaryGigabytes;
        return runSigmoidBackward();
    }

    @Benchmark
    public Matrix copy(ByteRate rate) {
        rate.gbytes += unaryGigabytes;
        return runCopy();
    }

    // Each operation waits for the device, so asynchronous backends are timed to completion.

    private Matrix runHadamard() {
        tested.hadamard(first, second, result);
        tested.sync();
        return result;
    }

    private Matrix runSigmoidForward() {
        tested.activate(Activation.SIGMOID, first, result);
        tested.sync();
        return result;
    }

    private Matrix runSigmoidBackward() {
        tested.activationBackward(Activation.SIGMOID, activations, second, result);
        tested.sync();
        return result;
    }

    private Matrix runCopy() {
        tested.copy(first, result);
        tested.sync();
        return result;
    }
}
