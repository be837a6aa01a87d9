package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The losses, row by row over [fromRow, toRow) of (rows × cols) matrices: each writes the
 * gradient with respect to its input and the loss of every row (see the formulas on
 * {@link dev.bp4j.api.Backend}). Rows are walked in vectors with a masked tail; class counts
 * below a vector's width (10 for MNIST at 16 lanes) run entirely in the masked step.
 */
final class LossKernels {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    /** The shape all three losses share: outputs and targets in, gradient and per-row loss out. */
    @FunctionalInterface
    interface RowLoss {
        void run(float[] outputs, float[] targets, float scale, float[] gradient, float[] rowLoss,
                 int cols, int fromRow, int toRow);
    }

    private LossKernels() {
    }

    /** Softmax cross-entropy from logits z, stabilised by the row maximum. */
    static void softmaxCrossEntropy(float[] z, float[] y, float scale, float[] gradient, float[] rowLoss,
                                    int cols, int fromRow, int toRow) {
        for (int row = fromRow; row < toRow; row++) {
            int at = row * cols;
            FloatVector maxima = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < cols; j += S.length()) {
                VectorMask<Float> lanes = S.indexInRange(j, cols);
                maxima = maxima.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, z, at + j, lanes), lanes);
            }
            float max = maxima.reduceLanes(VectorOperators.MAX);
            FloatVector sums = FloatVector.zero(S);
            for (int j = 0; j < cols; j += S.length()) {
                VectorMask<Float> lanes = S.indexInRange(j, cols);
                FloatVector shifted = FloatVector.fromArray(S, z, at + j, lanes).sub(max);
                sums = sums.add(VectorExp.exp(shifted), lanes);
            }
            float logSumExp = (float) (max + Math.log(sums.reduceLanes(VectorOperators.ADD)));
            FloatVector losses = FloatVector.zero(S);
            for (int j = 0; j < cols; j += S.length()) {
                VectorMask<Float> lanes = S.indexInRange(j, cols);
                FloatVector logits = FloatVector.fromArray(S, z, at + j, lanes);
                FloatVector targets = FloatVector.fromArray(S, y, at + j, lanes);
                FloatVector negativeLogSoftmax = logits.neg().add(logSumExp);
                losses = losses.add(targets.mul(negativeLogSoftmax), lanes);
                FloatVector softmax = VectorExp.exp(negativeLogSoftmax.neg());
                softmax.sub(targets).mul(scale).intoArray(gradient, at + j, lanes);
            }
            rowLoss[row] = losses.reduceLanes(VectorOperators.ADD);
        }
    }

    /**
     * Sigmoid cross-entropy from logits: loss max(z, 0) − z·y + log(1 + e^−|z|), gradient
     * scale·(σ(z) − y), σ taken from the same e = e^−|z| (1/(1+e) for z ≥ 0, e/(1+e) below).
     */
    static void sigmoidCrossEntropy(float[] z, float[] y, float scale, float[] gradient, float[] rowLoss,
                                    int cols, int fromRow, int toRow) {
        for (int row = fromRow; row < toRow; row++) {
            int at = row * cols;
            FloatVector losses = FloatVector.zero(S);
            for (int j = 0; j < cols; j += S.length()) {
                VectorMask<Float> lanes = S.indexInRange(j, cols);
                FloatVector logits = FloatVector.fromArray(S, z, at + j, lanes);
                FloatVector targets = FloatVector.fromArray(S, y, at + j, lanes);
                FloatVector e = VectorExp.exp(logits.abs().neg());
                FloatVector loss = logits.max(0f).sub(logits.mul(targets)).add(e.lanewise(VectorOperators.LOG1P));
                losses = losses.add(loss, lanes);
                FloatVector onePlusE = e.add(1f);
                FloatVector numerator = e.blend(1f, logits.compare(VectorOperators.GE, 0f));
                numerator.div(onePlusE).sub(targets).mul(scale).intoArray(gradient, at + j, lanes);
            }
            rowLoss[row] = losses.reduceLanes(VectorOperators.ADD);
        }
    }

    /** The quadratic cost ½(a − y)² on outputs a, gradient scale·(a − y). */
    static void squaredError(float[] a, float[] y, float scale, float[] gradient, float[] rowLoss,
                             int cols, int fromRow, int toRow) {
        for (int row = fromRow; row < toRow; row++) {
            int at = row * cols;
            FloatVector losses = FloatVector.zero(S);
            for (int j = 0; j < cols; j += S.length()) {
                VectorMask<Float> lanes = S.indexInRange(j, cols);
                FloatVector difference = FloatVector.fromArray(S, a, at + j, lanes).sub(FloatVector.fromArray(S, y, at + j, lanes));
                losses = losses.add(difference.mul(difference), lanes);
                difference.mul(scale).intoArray(gradient, at + j, lanes);
            }
            rowLoss[row] = 0.5f * losses.reduceLanes(VectorOperators.ADD);
        }
    }

    /**
     * The rows in [fromRow, toRow) predicted right: first arg-max of scores equals first arg-max
     * of targets, or for one column (score > threshold) equals (target > 0.5). Scalar: it runs
     * once per batch over a few thousand elements, and a vector arg-max that keeps the first
     * index among ties costs more code than it would save.
     */
    static int countCorrect(float[] scores, float[] targets, int cols, float threshold, int fromRow, int toRow) {
        int correct = 0;
        for (int row = fromRow; row < toRow; row++) {
            int at = row * cols;
            boolean right = cols == 1
                    ? (scores[at] > threshold) == (targets[at] > 0.5f)
                    : firstArgMax(scores, at, cols) == firstArgMax(targets, at, cols);
            if (right) {
                correct++;
            }
        }
        return correct;
    }

    private static int firstArgMax(float[] values, int at, int cols) {
        int best = 0;
        for (int j = 1; j < cols; j++) {
            if (values[at + j] > values[at + best]) {
                best = j;
            }
        }
        return best;
    }
}
