package dev.bp4j.api;

/**
 * The hyper-parameters of one Adam update (weightDecay: AdamW's decoupled decay, 0 for Adam), with the step number {@code t} (1 for the first step)
 * from which the bias corrections {@code 1 − β₁ᵗ} and {@code 1 − β₂ᵗ} are computed once on the
 * host in double, instead of in every work item.
 */
public record AdamStep(float learningRate, float beta1, float beta2, float epsilon, float weightDecay, long step) {

    public AdamStep {
        if (step < 1) {
            throw new IllegalArgumentException("Adam step numbers start at 1, got " + step);
        }
    }

    /** AdamW's factor on the parameters before the Adam step, 1 − lr·weightDecay, rounded to float once. */
    public float decayFactor() {
        return (float) (1.0 - (double) learningRate * weightDecay);
    }

    public float biasCorrection1() {
        return (float) (1.0 - Math.pow(beta1, step));
    }

    public float biasCorrection2() {
        return (float) (1.0 - Math.pow(beta2, step));
    }
}
