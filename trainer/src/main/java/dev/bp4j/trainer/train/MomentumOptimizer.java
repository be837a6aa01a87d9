package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;
import dev.bp4j.trainer.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * Momentum in PyTorch's form: v = μv + ∂C/∂θ + λθ, θ −= ηv (λ the parameter's L2 weight decay);
 * one velocity matrix per parameter, starting at zero.
 */
final class MomentumOptimizer implements Optimizer {

    private final Backend backend;
    private final List<Parameter> parameters;
    private final List<Matrix> velocities = new ArrayList<>();
    private final float momentum;
    private final float[] weightDecay;

    MomentumOptimizer(Backend backend, List<Parameter> parameters, float momentum, float[] weightDecay) {
        this.backend = backend;
        this.parameters = List.copyOf(parameters);
        this.momentum = momentum;
        this.weightDecay = weightDecay.clone();
        try {
            for (Parameter p : parameters) {
                velocities.add(backend.allocate(p.value().rows(), p.value().cols()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void step(float learningRate) {
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            backend.momentumUpdate(p.value(), p.gradient(), velocities.get(i), learningRate, momentum, weightDecay[i]);
        }
    }

    @Override
    public OptimizerState saveState() {
        return OptimizerState.download(backend, OptimizerKind.MOMENTUM, 0, List.of(velocities));
    }

    @Override
    public void restoreState(OptimizerState state) {
        state.uploadInto(backend, OptimizerKind.MOMENTUM, List.of(velocities));
    }

    @Override
    public void close() {
        velocities.forEach(Matrix::close);
    }
}
