package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.trainer.nn.Parameter;

import java.util.List;

/**
 * Applies one update to every parameter of a network from the gradients the backward pass
 * left in their buffers. Optimizers with state (velocities, moments) allocate it on the backend
 * when they are opened and release it when closed.
 */
public sealed interface Optimizer extends AutoCloseable permits SgdOptimizer, MomentumOptimizer, AdamOptimizer {

    /** One update of every parameter; one backend operation per parameter. */
    void step();

    /** Copies the state to the host (waits for the device), for a checkpoint. */
    OptimizerState saveState();

    /**
     * Replaces the state with one saved from an optimizer of the same kind over the same
     * parameters; throws {@link IllegalArgumentException} and changes nothing if it does not fit.
     */
    void restoreState(OptimizerState state);

    @Override
    void close();

    static Optimizer open(Backend backend, OptimizerSettings settings, List<Parameter> parameters) {
        return switch (settings.kind()) {
            case SGD -> new SgdOptimizer(backend, parameters, settings.learningRate());
            case MOMENTUM -> new MomentumOptimizer(backend, parameters, settings.learningRate(), settings.momentum());
            case ADAM -> new AdamOptimizer(backend, parameters, settings);
        };
    }
}
