package dev.bp4j.api;

/**
 * Elementwise activation functions. Each derivative is expressed through the function's output
 * {@code a = f(z)}, so backward passes need only the stored activations, never {@code z}:
 * sigmoid' = a(1 − a), tanh' = 1 − a², relu' = [a > 0], identity' = 1.
 *
 * <p>The double-precision methods here are the specification the backends are tested against.
 */
public enum Activation {
    IDENTITY,
    SIGMOID,
    TANH,
    RELU;

    public double apply(double z) {
        return switch (this) {
            case IDENTITY -> z;
            // Written so that exp never overflows for large |z|.
            case SIGMOID -> z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
            case TANH -> Math.tanh(z);
            case RELU -> z > 0 ? z : 0.0;
        };
    }

    /** f'(z) written in terms of a = f(z). */
    public double derivative(double a) {
        return switch (this) {
            case IDENTITY -> 1.0;
            case SIGMOID -> a * (1.0 - a);
            case TANH -> 1.0 - a * a;
            case RELU -> a > 0 ? 1.0 : 0.0;
        };
    }

    /** The lower-case name used on the command line and in model files. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Activation fromId(String id) {
        for (Activation a : values()) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + id + "' (expected identity, sigmoid, tanh or relu)");
    }
}
