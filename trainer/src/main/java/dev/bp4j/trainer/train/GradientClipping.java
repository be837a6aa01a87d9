package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;
import dev.bp4j.trainer.nn.Parameter;

import java.util.List;

/**
 * Clipping by global norm (PyTorch's {@code clip_grad_norm_}): the squared norm of all gradients
 * together is summed into a 1 × 1 matrix on the device, and every gradient is scaled there by
 * min(1, maxNorm / (norm + 10⁻⁶)); nothing is read back. One operation per parameter for the
 * sum and one for the scaling, plus a fill.
 */
final class GradientClipping implements AutoCloseable {

    private final Backend backend;
    private final List<Parameter> parameters;
    private final float maxNorm;
    private final Matrix squaredNorm;

    GradientClipping(Backend backend, List<Parameter> parameters, float maxNorm) {
        this.backend = backend;
        this.parameters = List.copyOf(parameters);
        this.maxNorm = maxNorm;
        this.squaredNorm = backend.allocate(1, 1);
    }

    /** Clips the gradients the backward pass just wrote. */
    void apply() {
        backend.fill(squaredNorm, 0f);
        for (int i = 0; i < parameters.size(); i++) {
            backend.sumOfSquares(parameters.get(i).gradient(), squaredNorm);
        }
        for (int i = 0; i < parameters.size(); i++) {
            backend.clipToNorm(squaredNorm, maxNorm, parameters.get(i).gradient());
        }
    }

    @Override
    public void close() {
        squaredNorm.close();
    }
}
