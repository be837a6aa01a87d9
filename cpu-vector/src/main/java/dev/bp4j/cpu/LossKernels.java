package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loss family (kernels/loss.cl): {@code softmax_cross_entropy},
 * {@code sigmoid_cross_entropy}, {@code squared_error} and {@code count_correct}, row by row
 * over [fromRow, toRow) of (rows × cols) matrices: each loss writes the gradient with respect
 * to its input and the loss of every row (see the formulas on {@link dev.bp4j.api.Backend}). Rows are walked in vectors with a masked tail; class counts
 * below a vector's width (10 for MNIST at 16 lanes) run entirely in the masked step.
 */
final class LossKernels {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    /**
     * The shape all three losses share: outputs and targets in, gradient and per-row loss out;
     * {@code scratch} is the calling thread's own, at least LANES·LANES floats.
     */
    @FunctionalInterface
    interface RowLoss {
        void run(float[] outputs, float[] targets, float scale, float[] gradient, float[] rowLoss,
                 int cols, int fromRow, int toRow, float[] scratch);
    }

    /** ROW_STARTS[cols][lane] = lane·cols: where each lane's row starts, for rows of fewer columns than a vector. */
    private static final int[][] ROW_STARTS = new int[S.length()][S.length()];

    static {
        for (int cols = 1; cols < S.length(); cols++) {
            for (int lane = 0; lane < S.length(); lane++) {
                ROW_STARTS[cols][lane] = lane * cols;
            }
        }
    }

    private LossKernels() {
    }

    /**
     * Softmax cross-entropy from logits z, stabilised by the row maximum, in three passes over
     * each row, each its own method taking arrays, never vectors: written as one method, C2
     * reached its node-count inlining cutoff, left the exponential out of line and boxed its
     * vectors (a heap allocation per row). e^(z − max) is computed once and parked in the
     * gradient row, which the last pass turns into scale·(e/Σe − y).
     */
    static void softmaxCrossEntropy(float[] z, float[] y, float scale, float[] gradient, float[] rowLoss,
                                    int cols, int fromRow, int toRow, float[] scratch) {
        int row = fromRow;
        if (cols < S.length()) {
            for (; row + S.length() <= toRow; row += S.length()) {
                softmaxCrossEntropyAcrossRows(z, y, scale, gradient, rowLoss, cols, row, scratch);
            }
        }
        for (; row < toRow; row++) {
            int at = row * cols;
            float max = rowMax(z, at, cols);
            float sum = shiftedExponentials(z, at, cols, max, gradient, scratch);
            rowLoss[row] = softmaxGradient(z, y, at, cols, logSumExp(max, sum), 1f / sum, scale, gradient, scratch);
        }
    }

    /**
     * log Σ e^z from the row maximum and Σ e^(z − max), in double precision: both softmax paths
     * take it from here, so they give a row the same bits.
     */
    private static float logSumExp(float max, float sumOfShiftedExponentials) {
        return (float) (max + Math.log(sumOfShiftedExponentials));
    }

    /**
     * The same softmax cross-entropy for one vector's worth of rows at once, a row in each
     * lane, for rows narrower than a vector (10 classes in 16 lanes). Walked along the rows,
     * such a row is one masked vector, and its maximum and two sums are horizontal reductions
     * through memory, twice as slow as this way. Column j of all the
     * rows is one gathered vector, and every reduction is lanewise. The exponentials and then
     * the gradient wait in {@code scratch}, column after column, and go to the rows at the end
     * element by element: a vector scatter would do that in one instruction on AVX-512, but
     * AVX2 has none and the Vector API's fallback allocates. Each row's sums still add its
     * columns from the first, as {@link #sumInLaneOrder} does, and the logarithm is
     * {@link #logSumExp}'s, so both paths give a row the same bits.
     *
     * <p>All the vector code is in this one method: split into helpers, C2 reached its
     * node-count inlining cutoff in the caller, left one out of line, and ran it boxed (15 KB
     * allocated per call of 128 rows). The scalar copy to the rows is a helper of its own.
     *
     * <p>{@code scratch}: the lanes' sums, then their log-sum-exp, from 0; the columns from
     * LANES (at most LANES − 1 of them).
     */
    private static void softmaxCrossEntropyAcrossRows(float[] z, float[] y, float scale, float[] gradient,
                                                      float[] rowLoss, int cols, int firstRow, float[] scratch) {
        int lanes = S.length();
        int[] rowStarts = ROW_STARTS[cols];
        int at = firstRow * cols;
        FloatVector max = FloatVector.fromArray(S, z, at, rowStarts, 0);
        for (int j = 1; j < cols; j++) {
            max = max.max(FloatVector.fromArray(S, z, at + j, rowStarts, 0));
        }
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < cols; j++) {
            FloatVector exponentials = VectorExp.exp(FloatVector.fromArray(S, z, at + j, rowStarts, 0).sub(max));
            exponentials.intoArray(scratch, (1 + j) * lanes);
            sum = sum.add(exponentials);
        }
        // The row maxima wait in the rows' loss slots, which the last pass overwrites.
        max.intoArray(rowLoss, firstRow);
        sum.intoArray(scratch, 0);
        for (int lane = 0; lane < lanes; lane++) {
            scratch[lane] = logSumExp(rowLoss[firstRow + lane], scratch[lane]);
        }
        FloatVector logSumExp = FloatVector.fromArray(S, scratch, 0);
        FloatVector inverseSum = FloatVector.broadcast(S, 1f).div(sum);
        FloatVector losses = FloatVector.zero(S);
        for (int j = 0; j < cols; j++) {
            FloatVector targets = FloatVector.fromArray(S, y, at + j, rowStarts, 0);
            FloatVector negativeLogSoftmax = FloatVector.fromArray(S, z, at + j, rowStarts, 0).neg().add(logSumExp);
            losses = losses.add(targets.mul(negativeLogSoftmax));
            int column = (1 + j) * lanes;
            FloatVector softmax = FloatVector.fromArray(S, scratch, column).mul(inverseSum);
            softmax.sub(targets).mul(scale).intoArray(scratch, column);
        }
        losses.intoArray(rowLoss, firstRow);
        columnsToRows(scratch, lanes, cols, gradient, at);
    }

    /** The LANES rows of {@code cols} floats from {@code at} in {@code rows}, out of the columns held from {@code from}. */
    private static void columnsToRows(float[] columns, int from, int cols, float[] rows, int at) {
        int lanes = S.length();
        for (int lane = 0; lane < lanes; lane++) {
            int row = at + lane * cols;
            for (int j = 0; j < cols; j++) {
                rows[row + j] = columns[from + j * lanes + lane];
            }
        }
    }

    private static float rowMax(float[] z, int at, int cols) {
        FloatVector maxima = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < cols; j += S.length()) {
            VectorMask<Float> lanes = S.indexInRange(j, cols);
            maxima = maxima.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, z, at + j, lanes), lanes);
        }
        return maxima.reduceLanes(VectorOperators.MAX);
    }

    /** e[j] = e^(z[j] − max) into {@code out}; returns Σ e. */
    private static float shiftedExponentials(float[] z, int at, int cols, float max, float[] out, float[] scratch) {
        FloatVector sums = FloatVector.zero(S);
        for (int j = 0; j < cols; j += S.length()) {
            VectorMask<Float> lanes = S.indexInRange(j, cols);
            FloatVector exponentials = VectorExp.exp(FloatVector.fromArray(S, z, at + j, lanes).sub(max));
            exponentials.intoArray(out, at + j, lanes);
            sums = sums.add(exponentials, lanes);
        }
        return sumInLaneOrder(sums, scratch);
    }

    /** gradient[j] = scale·(e[j]/Σe − y[j]) from the exponentials already in gradient; returns the row's loss. */
    private static float softmaxGradient(float[] z, float[] y, int at, int cols, float logSumExp, float inverseSum,
                                         float scale, float[] gradient, float[] scratch) {
        FloatVector losses = FloatVector.zero(S);
        for (int j = 0; j < cols; j += S.length()) {
            VectorMask<Float> lanes = S.indexInRange(j, cols);
            FloatVector targets = FloatVector.fromArray(S, y, at + j, lanes);
            FloatVector negativeLogSoftmax = FloatVector.fromArray(S, z, at + j, lanes).neg().add(logSumExp);
            losses = losses.add(targets.mul(negativeLogSoftmax), lanes);
            FloatVector softmax = FloatVector.fromArray(S, gradient, at + j, lanes).mul(inverseSum);
            softmax.sub(targets).mul(scale).intoArray(gradient, at + j, lanes);
        }
        return sumInLaneOrder(losses, scratch);
    }

    /**
     * Sigmoid cross-entropy from logits: loss max(z, 0) − z·y + log(1 + e^−|z|), gradient
     * scale·(σ(z) − y), σ taken from the same e = e^−|z| (1/(1+e) for z ≥ 0, e/(1+e) below).
     */
    static void sigmoidCrossEntropy(float[] z, float[] y, float scale, float[] gradient, float[] rowLoss,
                                    int cols, int fromRow, int toRow, float[] scratch) {
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
            rowLoss[row] = sumInLaneOrder(losses, scratch);
        }
    }

    /** The quadratic cost ½(a − y)² on outputs a, gradient scale·(a − y). */
    static void squaredError(float[] a, float[] y, float scale, float[] gradient, float[] rowLoss,
                             int cols, int fromRow, int toRow, float[] scratch) {
        for (int row = fromRow; row < toRow; row++) {
            int at = row * cols;
            FloatVector losses = FloatVector.zero(S);
            for (int j = 0; j < cols; j += S.length()) {
                VectorMask<Float> lanes = S.indexInRange(j, cols);
                FloatVector difference = FloatVector.fromArray(S, a, at + j, lanes).sub(FloatVector.fromArray(S, y, at + j, lanes));
                losses = losses.add(difference.mul(difference), lanes);
                difference.mul(scale).intoArray(gradient, at + j, lanes);
            }
            rowLoss[row] = 0.5f * sumInLaneOrder(losses, scratch);
        }
    }

    /**
     * The lanes of {@code v} added one after another from lane 0. Not {@code reduceLanes(ADD)}:
     * its order is unspecified, and in practice the interpreter's order and C2's tree give
     * different bits, so a loss computed before and after C2 compiled its kernel differed
     * (seen after about 620 calls). The maximum needs no such care: it is exact in any order.
     * The lanes go through the first vector of {@code scratch} because
     * reading them with {@code lane(i)} expands into enough nodes to push C2 past its inlining
     * cutoff in the kernels above, which then box their vectors.
     */
    private static float sumInLaneOrder(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        float sum = 0f;
        for (int lane = 0; lane < S.length(); lane++) {
            sum += scratch[lane];
        }
        return sum;
    }

    /**
     * The rows in [fromRow, toRow) predicted right: first arg-max of scores equals first arg-max
     * of targets, or for one column (score > threshold) equals (target > 0.5). A row that fits
     * one vector takes its arg-max without branches (the row maximum, then the first lane equal
     * to it): element by element the "new maximum" branch follows the data and mispredicts on
     * every fresh batch. Longer rows, the last rows of the array, and rows holding NaN (the maximum is NaN
     * and no lane equals it) take the scalar loop, which defines the result.
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
        // A masked load whose full vector would pass the array's end takes the Vector API's
        // lane-by-lane bounds check, which allocates its masks: the last rows go the scalar way.
        if (cols <= S.length() && at + S.length() <= values.length) {
            VectorMask<Float> lanes = S.indexInRange(0, cols);
            FloatVector row = FloatVector.fromArray(S, values, at, lanes);
            float max = row.reduceLanes(VectorOperators.MAX, lanes);
            int first = row.compare(VectorOperators.EQ, max, lanes).firstTrue();
            if (first < cols) {
                return first;
            }
        }
        int best = 0;
        for (int j = 1; j < cols; j++) {
            if (values[at + j] > values[at + best]) {
                best = j;
            }
        }
        return best;
    }
}
