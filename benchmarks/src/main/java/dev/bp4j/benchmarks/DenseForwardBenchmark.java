package dev.bp4j.benchmarks;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;
import dev.bp4j.api.Matrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The fused forward pass of a dense layer, output = f(x·Wᵀ + b), with x (batch × inputs),
 * W (outputs × inputs), b (1 × outputs): the product and its epilogue in one call, as the
 * trainer issues it. {@code :gflops} counts the product only (2·batch·inputs·outputs).
 */
public class DenseForwardBenchmark extends BackendBenchmark {

    private static final long SEED = 20_240_004L;

    @Param({"128"})
    public int batch;

    @Param({"784"})
    public int inputs;

    @Param({"256"})
    public int outputs;

    @Param({"sigmoid"})
    public String activation;

    private Activation function;
    private Matrix x;
    private Matrix weights;
    private Matrix bias;
    private Matrix output;
    private double gigaflopPerCall;

    @Setup
    public void prepare() {
        openTested();
        function = Activation.fromId(activation);
        SeededInputs seeded = new SeededInputs(SEED);
        HostMatrix hostX = HostMatrix.uniform(seeded, batch, inputs, 0f, 1f);
        HostMatrix hostWeights = HostMatrix.uniform(seeded, outputs, inputs, -0.1f, 0.1f);
        HostMatrix hostBias = HostMatrix.uniform(seeded, 1, outputs, -0.1f, 0.1f);
        x = hostX.uploadTo(tested);
        weights = hostWeights.uploadTo(tested);
        bias = hostBias.uploadTo(tested);
        output = tested.allocate(batch, outputs);
        gigaflopPerCall = FlopRate.gemmGigaflop(batch, outputs, inputs);

        tested.denseForward(x, weights, bias, function, output);
        validate(hostX, hostWeights, hostBias, HostMatrix.download(tested, output));
    }

    private void validate(HostMatrix hostX, HostMatrix hostWeights, HostMatrix hostBias, HostMatrix actual) {
        try (Backend reference = Backends.open("reference")) {
            HostMatrix expected = forward(reference, hostX, hostWeights, hostBias, function);
            // The pre-activation sum's rounding is bounded through the same layer on |x|, |W|, |b|;
            // every activation here is 1-Lipschitz, so that bound carries through f.
            HostMatrix magnitude = forward(reference, hostX.abs(), hostWeights.abs(), hostBias.abs(), Activation.IDENTITY);
            double[] allowed = new double[expected.values().length];
            for (int i = 0; i < allowed.length; i++) {
                allowed[i] = ParityCheck.sumTolerance(inputs + 1, magnitude.values()[i])
                        + ParityCheck.ELEMENTWISE_ABSOLUTE + ParityCheck.ELEMENTWISE_RELATIVE * Math.abs(expected.values()[i]);
            }
            new ParityCheck(trialName() + " batch=" + batch + " inputs=" + inputs + " outputs=" + outputs)
                    .within("denseForward " + activation, outputs, expected.values(), allowed, actual.values());
        }
    }

    private HostMatrix forward(Backend reference, HostMatrix hostX, HostMatrix hostWeights, HostMatrix hostBias,
                               Activation f) {
        Matrix out = reference.allocate(batch, outputs);
        reference.denseForward(hostX.uploadTo(reference), hostWeights.uploadTo(reference),
                hostBias.uploadTo(reference), f, out);
        return HostMatrix.download(reference, out);
    }

    @Benchmark
    public Matrix denseForward(FlopRate rate) {
        tested.denseForward(x, weights, bias, function, output);
        tested.sync();
        rate.gflops += gigaflopPerCall;
        return output;
    }
}
