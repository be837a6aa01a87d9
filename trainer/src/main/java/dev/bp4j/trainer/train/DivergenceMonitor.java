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
 *
 * <p>A loss can also explode while staying finite: with a far too large learning rate the
 * weights saturate the activations and the loss settles orders of magnitude above where it
 * started, without ever overflowing. So each check with an explosion factor F also reads the
 * running mean loss, remembers the first one it reads as the run's starting loss, and stops
 * the run once the mean loss has stayed above F × max(that starting loss, 1) for
 * {@value #EXPLOSION_CHECKS} checks in a row. Either way the message names the step and a layer:
 * the one nearest the output whose gradient is non-finite, or else the one holding the largest
 * weight (read once, when the run stops).
 */
final class DivergenceMonitor implements AutoCloseable {

    private final Backend backend;
    private final List<Parameter> parameters;
    private final List<Matrix> accumulators = new ArrayList<>();
    private final List<Matrix> ones = new ArrayList<>();
    private final Matrix one;
    private final Matrix total;
    private final float[] readBack = new float[1];
    private double explosionFactor;
    /** The mean loss at the first check, or NaN before it. */
    private double startingLoss = Double.NaN;
    private int checksAboveThreshold;

    /** Checks in a row that must see the loss above the threshold: one noisy batch does not stop a run. */
    static final int EXPLOSION_CHECKS = 3;

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

    /**
     * Stops the run when the mean loss stays above {@code factor} × max(starting loss, 1); 0
     * turns the test off. The floor of 1 keeps a resumed, nearly perfect model (starting loss
     * 10⁻⁴) from being stopped by ordinary noise.
     */
    void watchLossExplosion(double factor) {
        explosionFactor = factor;
    }

    /** Adds the gradients the last backward pass left into the accumulators. */
    void accumulate() {
        for (int i = 0; i < parameters.size(); i++) {
            backend.columnSums(1f, parameters.get(i).gradient(), 1f, accumulators.get(i));
        }
    }

    /**
     * Reads whether the loss or any gradient accumulated since the run began holds a NaN or an
     * infinity, or the loss has exploded, and if so throws {@link TrainingDivergedException}.
     *
     * @param lossSum   the running loss sum (1 × 1) of the current epoch
     * @param samples   how many samples of the current epoch {@code lossSum} sums over
     * @param step      the step being checked, counted from 1 over the run
     * @param sinceStep the first step not covered by an earlier check
     */
    void check(Matrix lossSum, long samples, long step, long sinceStep) {
        String when = sinceStep >= step ? "at step " + step : String.format(Locale.ROOT, "between steps %d and %d", sinceStep, step);
        backend.gemm(false, true, 1f, lossSum, one, 0f, total);
        for (int i = 0; i < parameters.size(); i++) {
            backend.gemm(false, true, 1f, accumulators.get(i), ones.get(i), 1f, total);
        }
        if (Float.isFinite(read(total))) {
            checkExplosion(lossSum, samples, step, when);
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
        if (nearestOutput >= 0) {
            throw diverged(when, "the gradient of layer " + nearestOutput + " holds NaN or infinity (non-finite: " + layers
                    + (lossDiverged ? "; the loss too" : "") + ")", step, nearestOutput);
        }
        LargestWeight largest = largestWeight();
        throw diverged(when, String.format(Locale.ROOT, "the loss is NaN or infinite; the largest weight is in layer %d (|w| = %.3g)",
                largest.layer, largest.magnitude), step, largest.layer);
    }

    private void checkExplosion(Matrix lossSum, long samples, long step, String when) {
        if (explosionFactor <= 0 || samples <= 0) {
            return;
        }
        double mean = read(lossSum) / samples;
        if (Double.isNaN(startingLoss)) {
            startingLoss = mean;
            return;
        }
        if (mean <= explosionFactor * Math.max(startingLoss, 1)) {
            checksAboveThreshold = 0;
            return;
        }
        if (++checksAboveThreshold < EXPLOSION_CHECKS) {
            return;
        }
        LargestWeight largest = largestWeight();
        throw diverged(when, String.format(Locale.ROOT,
                "the mean loss %.4g stayed above %s × max(its starting value %.4g, 1) for %d checks; the largest weight is in layer %d "
                        + "(|w| = %.3g)", mean, explosionFactor, startingLoss, EXPLOSION_CHECKS, largest.layer, largest.magnitude),
                step, largest.layer);
    }

    private static TrainingDivergedException diverged(String when, String what, long step, int layer) {
        return new TrainingDivergedException("training diverged " + when + ": " + what
                + "; the run stopped before saving any of it. Try a smaller learning rate.", step, layer);
    }

    private record LargestWeight(int layer, double magnitude) {
    }

    /** The layer whose parameters hold the largest magnitude (a NaN counts as largest); read only when a run stops. */
    private LargestWeight largestWeight() {
        int layer = 0;
        double largest = -1;
        for (int i = 0; i < parameters.size(); i++) {
            Matrix value = parameters.get(i).value();
            float[] host = new float[Math.toIntExact(value.size())];
            backend.download(value, host);
            for (float v : host) {
                double magnitude = Float.isNaN(v) ? Double.POSITIVE_INFINITY : Math.abs(v);
                if (magnitude > largest) {
                    largest = magnitude;
                    layer = i / 2;
                }
            }
        }
        return new LargestWeight(layer, largest);
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
