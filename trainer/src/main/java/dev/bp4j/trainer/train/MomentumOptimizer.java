package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;
import dev.bp4j.trainer.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/** Momentum in PyTorch's form: v = μv + ∂C/∂θ, θ −= ηv; one velocity matrix per parameter, starting at zero. */
final class MomentumOptimizer implements Optimizer {

    private final Backend backend;
    private final List<Parameter> parameters;
    private final List<Matrix> velocities = new ArrayList<>();
    private final float learningRate;
    private final float momentum;

    MomentumOptimizer(Backend backend, List<Parameter> parameters, float learningRate, float momentum) {
        this.backend = backend;
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
        this.momentum = momentum;
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
    public void step() {
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            backend.momentumUpdate(p.value(), p.gradient(), velocities.get(i), learningRate, momentum);
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
