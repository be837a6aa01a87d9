package dev.bp4j.benchmarks;

import dev.bp4j.api.Matrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The three matrix products of one dense layer in training, at the shape of the first layer of
 * a 784-256-… MLP with batch 128, each with the transposes the trainer uses:
 * <ul>
 *   <li>{@code forward}: z = x·Wᵀ, x (batch × in), W (out × in) → (batch × out);</li>
 *   <li>{@code weightGradient}: ∂W = δᵀ·x, δ (batch × out) → (out × in);</li>
 *   <li>{@code inputGradient}: δ·W → (batch × in), before the activation derivative.</li>
 * </ul>
 * Each is batch·in·out multiply-adds; {@code :gflops} gives GFLOP/s.
 */
public class LayerProductsBenchmark extends BackendBenchmark {

    private static final long SEED = 20_240_002L;

    @Param({"128"})
    public int batch;

    @Param({"784"})
    public int inputs;

    @Param({"256"})
    public int outputs;

    private Matrix x;
    private Matrix weights;
    private Matrix delta;
    private Matrix preActivation;
    private Matrix weightGradient;
    private Matrix inputGradient;
    private double gigaflopPerCall;

    @Setup
    public void prepare() {
        openTested();
        SeededInputs seeded = new SeededInputs(SEED);
        HostMatrix hostX = HostMatrix.uniform(seeded, batch, inputs, 0f, 1f);
        HostMatrix hostWeights = HostMatrix.uniform(seeded, outputs, inputs, -0.1f, 0.1f);
        HostMatrix hostDelta = HostMatrix.uniform(seeded, batch, outputs, -0.01f, 0.01f);
        x = hostX.uploadTo(tested);
        weights = hostWeights.uploadTo(tested);
        delta = hostDelta.uploadTo(tested);
        preActivation = tested.allocate(batch, outputs);
        weightGradient = tested.allocate(outputs, inputs);
        inputGradient = tested.allocate(batch, inputs);
        gigaflopPerCall = FlopRate.gemmGigaflop(batch, outputs, inputs);

        // The setup cannot know which method JMH will time, so all three are validated.
        ParityCheck check = new ParityCheck(trialName() + " batch=" + batch + " inputs=" + inputs + " outputs=" + outputs);
        tested.gemm(false, true, 1f, x, weights, 0f, preActivation);
        GemmParity.verify(check, "forward x·Wᵀ", false, true, hostX, hostWeights,
                HostMatrix.download(tested, preActivation));
        tested.gemm(true, false, 1f, delta, x, 0f, weightGradient);
        GemmParity.verify(check, "weightGradient δᵀ·x", true, false, hostDelta, hostX,
                HostMatrix.download(tested, weightGradient));
        tested.gemm(false, false, 1f, delta, weights, 0f, inputGradient);
        GemmParity.verify(check, "inputGradient δ·W", false, false, hostDelta, hostWeights,
                HostMatrix.download(tested, inputGradient));
    }

    @Benchmark
    public Matrix forward(FlopRate rate) {
        tested.gemm(false, true, 1f, x, weights, 0f, preActivation);
        tested.sync();
        rate.gflops += gigaflopPerCall;
        return preActivation;
    }

    @Benchmark
    public Matrix weightGradient(FlopRate rate) {
        tested.gemm(true, false, 1f, delta, x, 0f, weightGradient);
        tested.sync();
        rate.gflops += gigaflopPerCall;
        return weightGradient;
    }

    @Benchmark
    public Matrix inputGradient(FlopRate rate) {
        tested.gemm(false, false, 1f, delta, weights, 0f, inputGradient);
        tested.sync();
        rate.gflops += gigaflopPerCall;
        return inputGradient;
    }
}
