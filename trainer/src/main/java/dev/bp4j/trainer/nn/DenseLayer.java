package dev.bp4j.trainer.nn;

import dev.bp4j.api.Activation;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;

/**
 * One fully connected layer on a backend, aˡ = f(aˡ⁻¹ · Wᵀ + b), with the buffers its
 * gradients are written into. Weights are (out × in), the bias (1 × out); the gradient
 * buffers have the same shapes and are allocated once, with the layer.
 *
 * <p>The forward pass sits beside the three backward equations it needs. Shapes: aˡ⁻¹ is
 * (batch × in), aˡ and δˡ are (batch × out).
 */
public final class DenseLayer implements AutoCloseable {

    private final Activation activation;
    private final Matrix weights;
    private final Matrix bias;
    private final Matrix weightGradient;
    private final Matrix biasGradient;

    /** Allocates the layer on the backend and uploads the given weights (out·in values) and bias (out values). */
    DenseLayer(Backend backend, int in, int out, Activation activation, float[] initialWeights, float[] initialBias) {
        this.activation = activation;
        Matrix w = null;
        Matrix b = null;
        Matrix gw = null;
        Matrix gb = null;
        try {
            w = backend.allocate(out, in);
            b = backend.allocate(1, out);
            gw = backend.allocate(out, in);
            gb = backend.allocate(1, out);
        } catch (RuntimeException e) {
            closeAll(w, b, gw, gb);
            throw e;
        }
        this.weights = w;
        this.bias = b;
        this.weightGradient = gw;
        this.biasGradient = gb;
        backend.upload(initialWeights, weights);
        backend.upload(initialBias, bias);
    }

    // ---- forward ------------------------------------------------------------------------------

    /** aˡ = f(aˡ⁻¹ · Wᵀ + b). */
    public void forward(Backend backend, Matrix input, Matrix output) {
        backend.denseForward(input, weights, bias, activation, output);
    }

    // ---- backward -----------------------------------------------------------------------------

    /**
     * Equations 3 and 4 for a batch whose loss is already averaged into δ:
     * ∂C/∂b = Σ over the batch of δˡ (the column sums), ∂C/∂W = (δˡ)ᵀ · aˡ⁻¹, (out × in).
     */
    public void computeGradients(Backend backend, Matrix delta, Matrix input) {
        backend.columnSums(1f, delta, 0f, biasGradient);
        backend.gemm(true, false, 1f, delta, input, 0f, weightGradient);
    }

    /**
     * Equation 2, carrying the error to the layer below: δˡ⁻¹ = (δˡ · W) ⊙ f′(aˡ⁻¹), where
     * {@code inputActivation} is the function f of the layer that produced aˡ⁻¹.
     */
    public void backward(Backend backend, Matrix delta, Matrix input, Activation inputActivation, Matrix inputDelta) {
        backend.denseBackward(delta, weights, input, inputActivation, inputDelta);
    }

    // ---- access -------------------------------------------------------------------------------

    public Activation activation() {
        return activation;
    }

    public Matrix weights() {
        return weights;
    }

    public Matrix bias() {
        return bias;
    }

    public Matrix weightGradient() {
        return weightGradient;
    }

    public Matrix biasGradient() {
        return biasGradient;
    }

    @Override
    public void close() {
        closeAll(weights, bias, weightGradient, biasGradient);
    }

    private static void closeAll(Matrix... matrices) {
        for (Matrix m : matrices) {
            if (m != null) {
                m.close();
            }
        }
    }
}
