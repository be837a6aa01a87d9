package dev.bp4j.trainer.train;

/**
 * The update rule and its hyper-parameters. {@code momentum} is used by {@link OptimizerKind#MOMENTUM};
 * {@code beta1}, {@code beta2} and {@code epsilon} by {@link OptimizerKind#ADAM}.
 */
public record OptimizerSettings(OptimizerKind kind, float learningRate, float momentum, float beta1, float beta2, float epsilon) {

    public static final float DEFAULT_MOMENTUM = 0.9f;

    public OptimizerSettings {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be a positive number, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("momentum and the Adam betas must lie in [0, 1)");
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam's epsilon must be positive, got " + epsilon);
        }
    }

    /** The kind with the customary hyper-parameters: momentum 0.9; Adam β₁ 0.9, β₂ 0.999, ε 1e-8. */
    public static OptimizerSettings of(OptimizerKind kind, float learningRate) {
        return new OptimizerSettings(kind, learningRate, DEFAULT_MOMENTUM, 0.9f, 0.999f, 1e-8f);
    }
}
