package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.trainer.nn.Parameter;

import java.util.List;

/** Plain gradient descent: θ −= η·∂C/∂θ. Stateless. */
final class SgdOptimizer implements Optimizer {

    private final Backend backend;
    private final List<Parameter> parameters;
    private final float learningRate;

    SgdOptimizer(Backend backend, List<Parameter> parameters, float learningRate) {
        this.backend = backend;
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
    }

    @Override
    public void step() {
        for (int i = 0; i < parameters.size(); i++) { // indexed: no iterator in the step loop
            Parameter p = parameters.get(i);
            backend.sgdUpdate(p.value(), p.gradient(), learningRate);
        }
    }

    @Override
    public OptimizerState saveState() {
        return new OptimizerState(OptimizerKind.SGD, 0, List.of());
    }

    @Override
    public void restoreState(OptimizerState state) {
        state.uploadInto(backend, OptimizerKind.SGD, List.of());
    }

    @Override
    public void close() {
        // no state on the device
    }
}
