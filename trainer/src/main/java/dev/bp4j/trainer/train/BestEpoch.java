package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;
import dev.bp4j.trainer.nn.NetworkParameters;
import dev.bp4j.trainer.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * Early stopping on the validation loss: the parameters of the best epoch so far, copied on the
 * device (no transfer), and how many epochs have passed without a better loss.
 */
final class BestEpoch implements AutoCloseable {

    private final Backend backend;
    private final List<Parameter> parameters;
    private final List<Matrix> copies = new ArrayList<>();
    private final int patience;
    private int epoch;
    private double loss = Double.POSITIVE_INFINITY;
    private int epochsWithoutImprovement;

    /** {@code patience} 0: never stop, only remember the best. */
    BestEpoch(Backend backend, List<Parameter> parameters, int patience) {
        this.backend = backend;
        this.parameters = List.copyOf(parameters);
        this.patience = patience;
        try {
            for (Parameter p : parameters) {
                copies.add(backend.allocate(p.value().rows(), p.value().cols()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Records the epoch's validation loss, keeping its parameters if it is the best; true when the run should stop. */
    boolean record(int finishedEpoch, double validationLoss) {
        if (validationLoss < loss) {
            loss = validationLoss;
            epoch = finishedEpoch;
            epochsWithoutImprovement = 0;
            for (int i = 0; i < parameters.size(); i++) {
                backend.copy(parameters.get(i).value(), copies.get(i));
            }
            return false;
        }
        epochsWithoutImprovement++;
        return patience > 0 && epochsWithoutImprovement >= patience;
    }

    /** The best epoch so far (1-based), 0 before the first. */
    int epoch() {
        return epoch;
    }

    double loss() {
        return loss;
    }

    /** Copies the best epoch to the host (waits for the device); null before the first epoch. */
    EarlyStoppingState save() {
        if (epoch == 0) {
            return null;
        }
        List<float[]> weights = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        for (int i = 0; i < copies.size(); i++) {
            float[] values = new float[Math.toIntExact(copies.get(i).size())];
            backend.download(copies.get(i), values);
            (parameters.get(i).bias() ? biases : weights).add(values);
        }
        return new EarlyStoppingState(epoch, loss, epochsWithoutImprovement, new NetworkParameters(weights, biases));
    }

    /** Continues from a saved state: its best epoch, loss, count and parameters. */
    void restore(EarlyStoppingState state) {
        epoch = state.bestEpoch();
        loss = state.bestLoss();
        epochsWithoutImprovement = state.epochsWithoutImprovement();
        int weight = 0;
        int bias = 0;
        for (int i = 0; i < copies.size(); i++) {
            float[] values = parameters.get(i).bias() ? state.bestParameters().biases().get(bias++)
                    : state.bestParameters().weights().get(weight++);
            backend.upload(values, copies.get(i));
        }
    }

    /** Puts the best epoch's parameters back into the network. */
    void restore() {
        for (int i = 0; i < parameters.size(); i++) {
            backend.copy(copies.get(i), parameters.get(i).value());
        }
    }

    @Override
    public void close() {
        copies.forEach(Matrix::close);
    }
}
