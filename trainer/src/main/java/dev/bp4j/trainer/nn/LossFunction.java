package dev.bp4j.trainer.nn;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;

import java.util.Arrays;

/**
 * The cost C at the output layer, paired with the output activation it expects. Each constant
 * computes the loss of every row and the first backpropagation equation, δᴸ = ∇ₐC ⊙ σ′(zᴸ),
 * in the same call: for softmax + cross-entropy and sigmoid + binary cross-entropy the product
 * simplifies to a − y, which the backend's loss operations return directly from the logits.
 */
public enum LossFunction {
    /** Softmax then cross-entropy; the last layer outputs logits (identity activation). */
    SOFTMAX_CROSS_ENTROPY("softmax-ce"),
    /** Sigmoid then binary cross-entropy per output; the last layer outputs logits. */
    SIGMOID_CROSS_ENTROPY("bce"),
    /** The quadratic cost ½‖y − a‖², on sigmoid outputs (classification) or identity outputs (regression). */
    QUADRATIC("mse");

    private final String id;

    LossFunction(String id) {
        this.id = id;
    }

    /** The name used on the command line and in model files. */
    public String id() {
        return id;
    }

    public static LossFunction fromId(String id) {
        for (LossFunction loss : values()) {
            if (loss.id.equals(id)) {
                return loss;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + id + "' (expected "
                + String.join(", ", Arrays.stream(values()).map(LossFunction::id).toList()) + ")");
    }

    /** True when the last layer's outputs are logits that this loss squashes itself. */
    public boolean takesLogits() {
        return this != QUADRATIC;
    }

    /** The output activations this loss accepts. */
    public boolean accepts(Activation outputActivation) {
        return takesLogits() ? outputActivation == Activation.IDENTITY
                : outputActivation == Activation.SIGMOID || outputActivation == Activation.IDENTITY;
    }

    /**
     * For single-output classification, the score above which a sample counts as class 1:
     * 0 for a logit, ½ for a sigmoid or identity output compared with 0/1 targets.
     */
    public float decisionThreshold() {
        return takesLogits() ? 0f : 0.5f;
    }

    /**
     * The loss forward and the first backpropagation equation. outputs aᴸ, targets y and delta
     * are (batch × outputs), rowLoss (batch × 1). Writes the loss of each row into rowLoss and
     * δᴸ = ∂C/∂zᴸ into delta, where C is the mean loss over the batch (hence scale = 1/batch).
     */
    public void lossAndOutputDelta(Backend backend, Activation outputActivation, Matrix outputs, Matrix targets,
                                   float scale, Matrix delta, Matrix rowLoss) {
        switch (this) {
            case SOFTMAX_CROSS_ENTROPY -> backend.softmaxCrossEntropy(outputs, targets, scale, delta, rowLoss);
            case SIGMOID_CROSS_ENTROPY -> backend.sigmoidCrossEntropy(outputs, targets, scale, delta, rowLoss);
            case QUADRATIC -> {
                // ∇ₐC = a − y, then ⊙ σ′(zᴸ); for identity outputs σ′ = 1 and the product is skipped.
                backend.squaredError(outputs, targets, scale, delta, rowLoss);
                if (outputActivation != Activation.IDENTITY) {
                    backend.activationBackward(outputActivation, outputs, delta, delta);
                }
            }
        }
    }
}
