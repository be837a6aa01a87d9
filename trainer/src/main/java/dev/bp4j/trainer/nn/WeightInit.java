package dev.bp4j.trainer.nn;

import dev.bp4j.api.Activation;

import java.util.Locale;

/**
 * How a fresh network's parameters are drawn: every scheme draws each weight uniformly from
 * [−bound, bound]; only {@link #FAN_IN} draws the biases too (the others start them at zero).
 */
public enum WeightInit {
    /** {@link #HE} for ReLU layers, {@link #GLOROT} for the others. */
    AUTO,
    /** bound √(6 / in): the variance 2 / in that keeps ReLU activations from shrinking layer by layer. */
    HE,
    /** bound √(6 / (in + out)): Xavier/Glorot, for sigmoid, tanh and linear layers. */
    GLOROT,
    /** bound 1 / √in for weights and biases: PyTorch's {@code nn.Linear} default, a third of He's variance. */
    FAN_IN;

    /** The weight bound of a layer with {@code in} inputs and {@code out} outputs and activation {@code f}. */
    public double weightBound(Activation f, int in, int out) {
        return switch (this) {
            case AUTO -> (f == Activation.RELU ? HE : GLOROT).weightBound(f, in, out);
            case HE -> Math.sqrt(6.0 / in);
            case GLOROT -> Math.sqrt(6.0 / (in + out));
            case FAN_IN -> 1.0 / Math.sqrt(in);
        };
    }

    /** The bias bound of a layer with {@code in} inputs; 0 where biases start at zero. */
    public double biasBound(int in) {
        return this == FAN_IN ? 1.0 / Math.sqrt(in) : 0.0;
    }

    /** The lower-case name used on the command line and in model files: auto, he, glorot, fan-in. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static WeightInit fromId(String id) {
        for (WeightInit init : values()) {
            if (init.id().equals(id)) {
                return init;
            }
        }
        throw new IllegalArgumentException("unknown initialisation '" + id + "' (expected auto, he, glorot or fan-in)");
    }
}
