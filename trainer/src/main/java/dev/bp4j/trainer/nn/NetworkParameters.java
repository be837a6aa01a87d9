package dev.bp4j.trainer.nn;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A network's weights and biases on the host: what is initialised, saved and loaded. Layer l
 * has weights (widths[l+1] × widths[l]) row-major and a bias of widths[l+1] values.
 */
public record NetworkParameters(List<float[]> weights, List<float[]> biases) {

    public NetworkParameters {
        weights = List.copyOf(weights);
        biases = List.copyOf(biases);
        if (weights.size() != biases.size()) {
            throw new IllegalArgumentException(weights.size() + " weight matrices but " + biases.size() + " bias vectors");
        }
    }

    /**
     * Fresh parameters by {@link WeightInit#AUTO}: uniform weights with He bounds √(6 / in) for
     * ReLU layers and Xavier/Glorot bounds √(6 / (in + out)) for sigmoid, tanh and identity
     * layers (the same variances as the normal variants), and zero biases. The same random stream
     * gives the same parameters.
     */
    public static NetworkParameters initialise(NetworkSpec spec, SplittableRandom random) {
        return initialise(spec, WeightInit.AUTO, random);
    }

    /** Fresh parameters by {@code init}: per layer its weights, then its biases where the scheme draws them. */
    public static NetworkParameters initialise(NetworkSpec spec, WeightInit init, SplittableRandom random) {
        float[][] weights = new float[spec.layerCount()][];
        float[][] biases = new float[spec.layerCount()][];
        for (int layer = 0; layer < spec.layerCount(); layer++) {
            int in = spec.width(layer);
            int out = spec.width(layer + 1);
            weights[layer] = uniform(out * in, init.weightBound(spec.activationOf(layer), in, out), random);
            double biasBound = init.biasBound(in);
            biases[layer] = biasBound > 0 ? uniform(out, biasBound, random) : new float[out];
        }
        return new NetworkParameters(List.of(weights), List.of(biases));
    }

    private static float[] uniform(int count, double bound, SplittableRandom random) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }

    public int layerCount() {
        return weights.size();
    }

    /** Checks that the arrays have the sizes the spec gives each layer. */
    public void checkMatches(NetworkSpec spec) {
        if (layerCount() != spec.layerCount()) {
            throw new IllegalArgumentException(layerCount() + " layers of parameters for a network of " + spec.layerCount());
        }
        for (int layer = 0; layer < layerCount(); layer++) {
            int in = spec.width(layer);
            int out = spec.width(layer + 1);
            if (weights.get(layer).length != (long) out * in || biases.get(layer).length != out) {
                throw new IllegalArgumentException("layer " + layer + ": " + weights.get(layer).length + " weights and "
                        + biases.get(layer).length + " biases for (" + out + " × " + in + ")");
            }
        }
    }
}
