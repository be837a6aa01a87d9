package dev.bp4j.trainer.train;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Matrix;
import dev.bp4j.trainer.model.ModelFile;
import dev.bp4j.trainer.nn.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Watches a run for NaN and infinity without reading the device at every step.
 *
 * <p>After the backward pass of each checked step, {@link #accumulate} adds the column sums of
 * every gradient into that parameter's (1 × cols) accumulator: one backend operation per
 * parameter, nothing read. Unchecked steps skip it, which matters on GPUs where a step is a
 * couple of dozen launches: a NaN gradient there reaches the weights, then the loss sum.
 * A NaN or an infinity anywhere in a gradient makes its accumulator non-finite for good (NaN
 * absorbs every sum, and +∞ meeting −∞ gives NaN), so one {@link #check} covers every step since
 * the previous one. A check folds the accumulators and the running loss into one 1 × 1 sum on
 * the device (products with vectors of ones) and reads that single value; only when it is not
 * finite are the parts read one by one, to say which layers diverged.
 */
final class DivergenceMonitor implements AutoCloseable {

    private final Backend backend;
    private final List<Parameter> parameters;
    private final List<Matrix> accumulators = new ArrayList<>();
    private final List<Matrix> ones = new ArrayList<>();
    private final Matrix one;
    private final Matrix total;
    private final float[] readBack = new float[1];

    DivergenceMonitor(Backend backend, List<Parameter> parameters) {
        this.backend = backend;
        this.parameters = List.copyOf(parameters);
        List<Matrix> allocated = new ArrayList<>();
        try {
            for (Parameter p : parameters) {
                Matrix accumulator = backend.allocate(1, p.gradient().cols());
                allocated.add(accumulator);
                accumulators.add(accumulator);
                Matrix row = backend.allocate(1, p.gradient().cols());
                allocated.add(row);
                backend.fill(row, 1f);
                ones.add(row);
            }
            one = backend.allocate(1, 1);
            allocated.add(one);
            backend.fill(one, 1f);
            total = backend.allocate(1, 1);
        } catch (RuntimeException e) {
            allocated.forEach(Matrix::close);
            throw e;
        }
    }

    /** Adds the gradients the last backward pass left into the accumulators. */
    void accumulate() {
        for (int i = 0; i < parameters.size(); i++) {
            backend.columnSums(1f, parameters.get(i).gradient(), 1f, accumulators.get(i));
        }
    }

    /**
     * Reads whether the loss or any gradient accumulated since the run began holds a NaN or an
     * infinity, and if so throws {@link TrainingDivergedException}.
     *
     * @param lossSum   the running loss sum (1 × 1) of the current epoch
     * @param step      the step being checked, counted from 1 over the run
     * @param sinceStep the first step not covered by an earlier check
     */
    void check(Matrix lossSum, long step, long sinceStep) {
        backend.gemm(false, true, 1f, lossSum, one, 0f, total);
        for (int i = 0; i < parameters.size(); i++) {
            backend.gemm(false, true, 1f, accumulators.get(i), ones.get(i), 1f, total);
        }
        if (Float.isFinite(read(total))) {
            return;
        }
        StringJoiner layers = new StringJoiner(", ");
        int nearestOutput = -1;
        for (int i = parameters.size() - 1; i >= 0; i--) {
            backend.gemm(false, true, 1f, accumulators.get(i), ones.get(i), 0f, total);
            if (!Float.isFinite(read(total))) {
                layers.add(ModelFile.parameterName(i));
                nearestOutput = Math.max(nearestOutput, i / 2);
            }
        }
        boolean lossDiverged = !Float.isFinite(read(lossSum));
        String when = sinceStep >= step ? "at step " + step : String.format(Locale.ROOT, "between steps %d and %d", sinceStep, step);
        String what = nearestOutput >= 0
                ? "the gradient of layer " + nearestOutput + " holds NaN or infinity (non-finite: " + layers
                        + (lossDiverged ? "; the loss too" : "") + ")"
                : "the loss is NaN or infinite";
        throw new TrainingDivergedException("training diverged " + when + ": " + what
                + "; the run stopped before saving any of it. Try a smaller learning rate.", step, nearestOutput);
    }

    private float read(Matrix scalar) {
        backend.download(scalar, readBack);
        return readBack[0];
    }

    @Override
    public void close() {
        accumulators.forEach(Matrix::close);
        ones.forEach(Matrix::close);
        one.close();
        total.close();
    }
}
