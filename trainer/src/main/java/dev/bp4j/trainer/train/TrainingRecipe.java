package dev.bp4j.trainer.train;

import dev.bp4j.trainer.nn.WeightInit;

import java.util.Objects;

/**
 * Regularisation and training control beyond the optimizer: what a run does to get the best
 * model rather than the last, and how it starts. Every field's neutral value ({@link #NONE})
 * gives plain training.
 *
 * @param weightDecay         L2 decay for sgd and momentum, decoupled (AdamW) for adam; 0 for none
 * @param decayBiases         whether biases decay too (by default only weight matrices do)
 * @param dropout             the rate of inverted dropout on every hidden layer's output; 0 for none
 * @param inputDropout        the rate of inverted dropout on the input features; 0 for none
 * @param schedule            the learning rate over the steps
 * @param clipNorm            the largest global gradient norm, clipped on the device; 0 for none
 * @param validationFraction  share of the training part held out (seeded) to validate on after
 *                            each epoch; 0 for none
 * @param patience            epochs without a better validation loss before stopping; 0 never
 *                            stops early (needs a validation part)
 * @param init                how the fresh network's parameters are drawn
 */
public record TrainingRecipe(float weightDecay, boolean decayBiases, float dropout, float inputDropout, LearningRateSchedule schedule,
                             float clipNorm, double validationFraction, int patience, WeightInit init) {

    public static final TrainingRecipe NONE = new TrainingRecipe(0f, false, 0f, 0f, LearningRateSchedule.CONSTANT, 0f, 0, 0,
            WeightInit.AUTO);

    public TrainingRecipe {
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("the weight decay must be a non-negative number, got " + weightDecay);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("the dropout rate must lie in [0, 1), got " + dropout);
        }
        if (!(inputDropout >= 0 && inputDropout < 1)) {
            throw new IllegalArgumentException("the input dropout rate must lie in [0, 1), got " + inputDropout);
        }
        if (!(clipNorm >= 0) || !Float.isFinite(clipNorm)) {
            throw new IllegalArgumentException("the clipping norm must be a non-negative number, got " + clipNorm);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must lie in [0, 1), got " + validationFraction);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("the early-stopping patience must not be negative, got " + patience);
        }
        Objects.requireNonNull(init, "init");
        if (patience > 0 && validationFraction == 0) {
            throw new IllegalArgumentException("early stopping needs a validation part: give a validation fraction");
        }
    }

    public boolean validates() {
        return validationFraction > 0;
    }

    public TrainingRecipe withWeightDecay(float decay, boolean biasesToo) {
        return new TrainingRecipe(decay, biasesToo, dropout, inputDropout, schedule, clipNorm, validationFraction, patience, init);
    }

    public TrainingRecipe withDropout(float rate) {
        return new TrainingRecipe(weightDecay, decayBiases, rate, inputDropout, schedule, clipNorm, validationFraction, patience, init);
    }

    public TrainingRecipe withInputDropout(float rate) {
        return new TrainingRecipe(weightDecay, decayBiases, dropout, rate, schedule, clipNorm, validationFraction, patience, init);
    }

    public TrainingRecipe withSchedule(LearningRateSchedule newSchedule) {
        return new TrainingRecipe(weightDecay, decayBiases, dropout, inputDropout, newSchedule, clipNorm, validationFraction, patience, init);
    }

    public TrainingRecipe withClipNorm(float norm) {
        return new TrainingRecipe(weightDecay, decayBiases, dropout, inputDropout, schedule, norm, validationFraction, patience, init);
    }

    public TrainingRecipe withInit(WeightInit scheme) {
        return new TrainingRecipe(weightDecay, decayBiases, dropout, inputDropout, schedule, clipNorm, validationFraction, patience, scheme);
    }

    public TrainingRecipe withValidation(double fraction, int epochsOfPatience) {
        return new TrainingRecipe(weightDecay, decayBiases, dropout, inputDropout, schedule, clipNorm, fraction, epochsOfPatience, init);
    }
}
