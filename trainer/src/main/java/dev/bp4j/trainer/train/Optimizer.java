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

    /** One update of every parameter at this step's learning rate; one backend operation per parameter. */
    void step(float learningRate);

    /** Copies the state to the host (waits for the device), for a checkpoint. */
    OptimizerState saveState();

    /**
     * Replaces the state with one saved from an optimizer of the same kind over the same
     * parameters; throws {@link IllegalArgumentException} and changes nothing if it does not fit.
     */
    void restoreState(OptimizerState state);

    @Override
    void close();

    /** Without weight decay. */
    static Optimizer open(Backend backend, OptimizerSettings settings, List<Parameter> parameters) {
        return open(backend, settings, parameters, 0f, false);
    }

    /**
     * With weight decay {@code weightDecay} on the weight matrices, and on the biases too when
     * {@code decayBiases}: L2 for sgd and momentum, decoupled for adam (AdamW).
     */
    static Optimizer open(Backend backend, OptimizerSettings settings, List<Parameter> parameters, float weightDecay,
                          boolean decayBiases) {
        float[] decay = new float[parameters.size()];
        for (int i = 0; i < decay.length; i++) {
            decay[i] = parameters.get(i).bias() && !decayBiases ? 0f : weightDecay;
        }
        return switch (settings.kind()) {
            case SGD -> new SgdOptimizer(backend, parameters, decay);
            case MOMENTUM -> new MomentumOptimizer(backend, parameters, settings.momentum(), decay);
            case ADAM -> new AdamOptimizer(backend, parameters, settings, decay);
        };
    }
}
