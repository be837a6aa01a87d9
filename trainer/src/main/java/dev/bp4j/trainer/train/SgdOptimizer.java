package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.trainer.nn.Parameter;

import java.util.List;

/** Plain gradient descent: θ −= η·(∂C/∂θ + λθ), λ the parameter's L2 weight decay. Stateless. */
final class SgdOptimizer implements Optimizer {

    private final Backend backend;
    private final List<Parameter> parameters;
    private final float[] weightDecay;

    SgdOptimizer(Backend backend, List<Parameter> parameters, float[] weightDecay) {
        this.backend = backend;
        this.parameters = List.copyOf(parameters);
        this.weightDecay = weightDecay.clone();
    }

    @Override
    public void step(float learningRate) {
        for (int i = 0; i < parameters.size(); i++) { // indexed: no iterator in the step loop
            Parameter p = parameters.get(i);
            backend.sgdUpdate(p.value(), p.gradient(), learningRate, weightDecay[i]);
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
