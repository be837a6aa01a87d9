package dev.bp4j.trainer.train;

import dev.bp4j.api.AdamStep;
import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;
import dev.bp4j.trainer.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba): first and second moment matrices per parameter, starting at zero, with
 * the bias corrections of step t computed once per step on the host (see {@link AdamStep});
 * with weight decay, decoupled as AdamW (Loshchilov and Hutter), per parameter.
 */
final class AdamOptimizer implements Optimizer {

    private final Backend backend;
    private final List<Parameter> parameters;
    private final List<Matrix> firstMoments = new ArrayList<>();
    private final List<Matrix> secondMoments = new ArrayList<>();
    private final OptimizerSettings settings;
    private final float[] weightDecay;
    private long step;

    AdamOptimizer(Backend backend, List<Parameter> parameters, OptimizerSettings settings, float[] weightDecay) {
        this.backend = backend;
        this.parameters = List.copyOf(parameters);
        this.settings = settings;
        this.weightDecay = weightDecay.clone();
        try {
            for (Parameter p : parameters) {
                firstMoments.add(backend.allocate(p.value().rows(), p.value().cols()));
                secondMoments.add(backend.allocate(p.value().rows(), p.value().cols()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void step(float learningRate) {
        step++;
        AdamStep undecayed = new AdamStep(learningRate, settings.beta1(), settings.beta2(), settings.epsilon(), 0f, step);
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            AdamStep hyper = weightDecay[i] == 0f ? undecayed
                    : new AdamStep(learningRate, settings.beta1(), settings.beta2(), settings.epsilon(), weightDecay[i], step);
            backend.adamUpdate(p.value(), p.gradient(), firstMoments.get(i), secondMoments.get(i), hyper);
        }
    }

    @Override
    public OptimizerState saveState() {
        return OptimizerState.download(backend, OptimizerKind.ADAM, step, List.of(firstMoments, secondMoments));
    }

    /** The step count comes back too: Adam's bias corrections depend on it. */
    @Override
    public void restoreState(OptimizerState state) {
        state.uploadInto(backend, OptimizerKind.ADAM, List.of(firstMoments, secondMoments));
        step = state.updates();
    }

    @Override
    public void close() {
        firstMoments.forEach(Matrix::close);
        secondMoments.forEach(Matrix::close);
    }
}
