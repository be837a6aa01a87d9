package dev.bp4j.trainer.nn;

import dev.bp4j.api.Activation;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The shape of a multi-layer perceptron: every layer width, input first, the activation of the
 * hidden layers, the output activation and the loss. Layer l (0-based) maps widths[l] inputs to
 * widths[l + 1] outputs.
 */
public record NetworkSpec(int[] widths, Activation hiddenActivation, Activation outputActivation, LossFunction loss) {

    /** The most elements one weight matrix may hold: a Java array's, as every backend's matrices (see {@code Backend.allocate}). */
    public static final long MAX_MATRIX_ELEMENTS = Integer.MAX_VALUE - 8;

    public NetworkSpec {
        widths = widths.clone();
        if (widths.length < 2) {
            throw new IllegalArgumentException("a network needs at least an input and an output width, got " + describe(widths));
        }
        for (int width : widths) {
            if (width < 1) {
                throw new IllegalArgumentException("layer widths must be positive, got " + describe(widths));
            }
        }
        for (int l = 0; l + 1 < widths.length; l++) {
            if ((long) widths[l] * widths[l + 1] > MAX_MATRIX_ELEMENTS) {
                throw new IllegalArgumentException("layer " + l + " of " + describe(widths) + " would hold " + (long) widths[l] * widths[l + 1]
                        + " weights, more than the largest matrix (" + MAX_MATRIX_ELEMENTS + " floats)");
            }
        }
        if (!loss.accepts(outputActivation)) {
            throw new IllegalArgumentException("loss " + loss.id() + " does not take " + outputActivation.id() + " outputs");
        }
        if (loss == LossFunction.SOFTMAX_CROSS_ENTROPY && widths[widths.length - 1] < 2) {
            throw new IllegalArgumentException("softmax-ce needs at least 2 outputs (one per class); use bce for a single output");
        }
    }

    /**
     * The usual pairing: logits for the cross-entropy losses; for the quadratic cost, sigmoid
     * outputs when the targets are class labels in [0, 1] and identity outputs for regression.
     */
    public static NetworkSpec of(int[] widths, Activation hiddenActivation, LossFunction loss, boolean classification) {
        Activation output = loss.takesLogits() || !classification ? Activation.IDENTITY : Activation.SIGMOID;
        return new NetworkSpec(widths, hiddenActivation, output, loss);
    }

    public int layerCount() {
        return widths.length - 1;
    }

    public int inputs() {
        return widths[0];
    }

    public int outputs() {
        return widths[widths.length - 1];
    }

    /** The activation that layer {@code layer} (0-based) applies to its outputs. */
    public Activation activationOf(int layer) {
        return layer == layerCount() - 1 ? outputActivation : hiddenActivation;
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    public int width(int index) {
        return widths[index];
    }

    /** Widths joined by commas, as on the command line: {@code 64,64,10}. */
    public String architecture() {
        return describe(widths);
    }

    private static String describe(int[] widths) {
        return Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetworkSpec that && Arrays.equals(widths, that.widths)
                && hiddenActivation == that.hiddenActivation && outputActivation == that.outputActivation && loss == that.loss;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + hiddenActivation.hashCode() * 7 + outputActivation.hashCode() * 3 + loss.hashCode();
    }

    @Override
    public String toString() {
        return architecture() + " " + hiddenActivation.id() + " → " + outputActivation.id() + " " + loss.id();
    }
}
