package dev.bp4j.trainer.nn;

import dev.bp4j.api.Matrix;

/**
 * A trainable matrix of a network and the buffer its gradient ∂C/∂value is written into (same
 * shape); {@code bias} tells biases from weight matrices, which weight decay treats differently.
 */
public record Parameter(Matrix value, Matrix gradient, boolean bias) {
}
