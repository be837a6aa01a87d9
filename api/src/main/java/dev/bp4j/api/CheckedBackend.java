package dev.bp4j.api;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * The one place where arguments are checked: shapes, ownership, closed handles and aliasing.
 * Every backend handed out by {@link Backends} sits behind this facade, so implementations are
 * free of defensive code. Each failed check throws before anything is enqueued, so a rejected
 * call changes nothing.
 */
final class CheckedBackend implements Backend {

    private final Backend delegate;
    /** The largest index uploaded into each index vector, so gatherRows can be checked on the host. */
    private final Map<IndexVector, Integer> largestIndex = new WeakHashMap<>();
    private boolean closed;

    CheckedBackend(Backend delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String deviceDescription() {
        return delegate.deviceDescription();
    }

    @Override
    public boolean finishesOnReturn() {
        return delegate.finishesOnReturn();
    }

    @Override
    public boolean benefitsFromWarmUp() {
        return delegate.benefitsFromWarmUp();
    }

    @Override
    public Matrix allocate(int rows, int cols) {
        open();
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("allocate: a matrix needs at least one row and one column, got (" + rows + " × " + cols + ")");
        }
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("allocate: (" + rows + " × " + cols + ") has more than 2³¹ elements");
        }
        return delegate.allocate(rows, cols);
    }

    @Override
    public void upload(float[] source, Matrix destination) {
        live("upload", destination);
        if (source.length != destination.size()) {
            throw new IllegalArgumentException("upload: " + source.length + " floats for a " + shape(destination) + " matrix");
        }
        delegate.upload(source, destination);
    }

    @Override
    public void download(Matrix source, float[] destination) {
        live("download", source);
        if (destination.length != source.size()) {
            throw new IllegalArgumentException("download: a " + shape(source) + " matrix into " + destination.length + " floats");
        }
        delegate.download(source, destination);
    }

    @Override
    public IndexVector allocateIndices(int length) {
        open();
        if (length < 1) {
            throw new IllegalArgumentException("allocateIndices: length must be positive, got " + length);
        }
        return delegate.allocateIndices(length);
    }

    @Override
    public void upload(int[] source, IndexVector destination) {
        live("upload", destination);
        if (source.length != destination.length()) {
            throw new IllegalArgumentException("upload: " + source.length + " indices for an index vector of " + destination.length());
        }
        int largest = 0;
        for (int i = 0; i < source.length; i++) {
            if (source[i] < 0) {
                throw new IllegalArgumentException("upload: index " + source[i] + " at position " + i + " is negative");
            }
            largest = Math.max(largest, source[i]);
        }
        delegate.upload(source, destination);
        largestIndex.put(destination, largest);
    }

    @Override
    public void sync() {
        open();
        delegate.sync();
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, float alpha, Matrix a, Matrix b, float beta, Matrix c) {
        live("gemm", a, b, c);
        int m = transposeA ? a.cols() : a.rows();
        int k = transposeA ? a.rows() : a.cols();
        int kB = transposeB ? b.cols() : b.rows();
        int n = transposeB ? b.rows() : b.cols();
        if (k != kB || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm: op(A) " + m + " × " + k + ", op(B) " + kB + " × " + n
                    + ", C " + shape(c) + " (transposeA=" + transposeA + ", transposeB=" + transposeB + ")");
        }
        distinct("gemm", c, a, b);
        delegate.gemm(transposeA, transposeB, alpha, a, b, beta, c);
    }

    @Override
    public void denseForward(Matrix input, Matrix weights, Matrix bias, Activation f, Matrix output) {
        live("denseForward", input, weights, bias, output);
        if (weights.cols() != input.cols() || bias.rows() != 1 || bias.cols() != weights.rows()
                || output.rows() != input.rows() || output.cols() != weights.rows()) {
            throw new IllegalArgumentException("denseForward: input " + shape(input) + ", weights " + shape(weights)
                    + ", bias " + shape(bias) + ", output " + shape(output)
                    + " (expected input (b × in), weights (out × in), bias (1 × out), output (b × out))");
        }
        distinct("denseForward", output, input, weights, bias);
        delegate.denseForward(input, weights, bias, f, output);
    }

    @Override
    public void denseBackward(Matrix delta, Matrix weights, Matrix activations, Activation f, Matrix result) {
        live("denseBackward", delta, weights, activations, result);
        if (delta.cols() != weights.rows() || activations.cols() != weights.cols() || activations.rows() != delta.rows()
                || !sameShape(result, activations)) {
            throw new IllegalArgumentException("denseBackward: delta " + shape(delta) + ", weights " + shape(weights)
                    + ", activations " + shape(activations) + ", result " + shape(result)
                    + " (expected delta (b × out), weights (out × in), activations and result (b × in))");
        }
        distinct("denseBackward", result, delta, weights, activations);
        delegate.denseBackward(delta, weights, activations, f, result);
    }

    @Override
    public void activate(Activation f, Matrix input, Matrix output) {
        live("activate", input, output);
        same("activate", input, output);
        delegate.activate(f, input, output);
    }

    @Override
    public void activationBackward(Activation f, Matrix outputs, Matrix gradient, Matrix result) {
        live("activationBackward", outputs, gradient, result);
        same("activationBackward", outputs, gradient, result);
        delegate.activationBackward(f, outputs, gradient, result);
    }

    @Override
    public void dropoutForward(Activation f, Matrix input, Matrix activations, DropoutMask mask, Matrix output) {
        live("dropoutForward", input, activations, output);
        same("dropoutForward", input, activations, output);
        distinct("dropoutForward", output, input, activations);
        delegate.dropoutForward(f, input, activations, mask, output);
    }

    @Override
    public void dropoutBackward(Activation f, Matrix activations, Matrix gradient, DropoutMask mask, Matrix result) {
        live("dropoutBackward", activations, gradient, result);
        same("dropoutBackward", activations, gradient, result);
        distinct("dropoutBackward", result, activations);
        delegate.dropoutBackward(f, activations, gradient, mask, result);
    }

    @Override
    public void hadamard(Matrix a, Matrix b, Matrix result) {
        live("hadamard", a, b, result);
        same("hadamard", a, b, result);
        delegate.hadamard(a, b, result);
    }

    @Override
    public void addRowVector(Matrix bias, Matrix matrix) {
        live("addRowVector", bias, matrix);
        if (bias.rows() != 1 || bias.cols() != matrix.cols()) {
            throw new IllegalArgumentException("addRowVector: bias " + shape(bias) + " for a " + shape(matrix) + " matrix (expected 1 × " + matrix.cols() + ")");
        }
        distinct("addRowVector", matrix, bias);
        delegate.addRowVector(bias, matrix);
    }

    @Override
    public void columnSums(float alpha, Matrix matrix, float beta, Matrix result) {
        live("columnSums", matrix, result);
        if (result.rows() != 1 || result.cols() != matrix.cols()) {
            throw new IllegalArgumentException("columnSums: result " + shape(result) + " for a " + shape(matrix) + " matrix (expected 1 × " + matrix.cols() + ")");
        }
        distinct("columnSums", result, matrix);
        delegate.columnSums(alpha, matrix, beta, result);
    }

    @Override
    public void softmaxCrossEntropy(Matrix logits, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        checkLoss("softmaxCrossEntropy", logits, targets, gradient, rowLoss);
        delegate.softmaxCrossEntropy(logits, targets, scale, gradient, rowLoss);
    }

    @Override
    public void sigmoidCrossEntropy(Matrix logits, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        checkLoss("sigmoidCrossEntropy", logits, targets, gradient, rowLoss);
        delegate.sigmoidCrossEntropy(logits, targets, scale, gradient, rowLoss);
    }

    @Override
    public void squaredError(Matrix outputs, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        checkLoss("squaredError", outputs, targets, gradient, rowLoss);
        delegate.squaredError(outputs, targets, scale, gradient, rowLoss);
    }

    private void checkLoss(String operation, Matrix outputs, Matrix targets, Matrix gradient, Matrix rowLoss) {
        live(operation, outputs, targets, gradient, rowLoss);
        same(operation, outputs, targets, gradient);
        if (rowLoss.rows() != outputs.rows() || rowLoss.cols() != 1) {
            throw new IllegalArgumentException(operation + ": rowLoss " + shape(rowLoss) + " (expected " + outputs.rows() + " × 1)");
        }
        distinct(operation, gradient, outputs, targets, rowLoss);
        distinct(operation, rowLoss, outputs, targets);
    }

    @Override
    public void sumOfSquares(Matrix matrix, Matrix accumulator) {
        live("sumOfSquares", matrix, accumulator);
        scalar("sumOfSquares", "accumulator", accumulator);
        distinct("sumOfSquares", accumulator, matrix);
        delegate.sumOfSquares(matrix, accumulator);
    }

    @Override
    public void clipToNorm(Matrix squaredNorm, float maxNorm, Matrix matrix) {
        live("clipToNorm", squaredNorm, matrix);
        scalar("clipToNorm", "squaredNorm", squaredNorm);
        if (!(maxNorm > 0 && Float.isFinite(maxNorm))) {
            throw new IllegalArgumentException("clipToNorm: the maximum norm must be a positive number, got " + maxNorm);
        }
        distinct("clipToNorm", matrix, squaredNorm);
        delegate.clipToNorm(squaredNorm, maxNorm, matrix);
    }

    @Override
    public void countCorrect(Matrix scores, Matrix targets, float threshold, Matrix counter) {
        live("countCorrect", scores, targets, counter);
        same("countCorrect", scores, targets);
        scalar("countCorrect", "counter", counter);
        distinct("countCorrect", counter, scores, targets);
        delegate.countCorrect(scores, targets, threshold, counter);
    }

    @Override
    public void sgdUpdate(Matrix parameters, Matrix gradient, float learningRate, float weightDecay) {
        live("sgdUpdate", parameters, gradient);
        same("sgdUpdate", parameters, gradient);
        distinct("sgdUpdate", parameters, gradient);
        delegate.sgdUpdate(parameters, gradient, learningRate, weightDecay);
    }

    @Override
    public void momentumUpdate(Matrix parameters, Matrix gradient, Matrix velocity, float learningRate, float momentum,
                               float weightDecay) {
        live("momentumUpdate", parameters, gradient, velocity);
        same("momentumUpdate", parameters, gradient, velocity);
        distinct("momentumUpdate", parameters, gradient, velocity);
        distinct("momentumUpdate", velocity, gradient);
        delegate.momentumUpdate(parameters, gradient, velocity, learningRate, momentum, weightDecay);
    }

    @Override
    public void adamUpdate(Matrix parameters, Matrix gradient, Matrix firstMoment, Matrix secondMoment, AdamStep step) {
        live("adamUpdate", parameters, gradient, firstMoment, secondMoment);
        same("adamUpdate", parameters, gradient, firstMoment, secondMoment);
        distinct("adamUpdate", parameters, gradient, firstMoment, secondMoment);
        distinct("adamUpdate", firstMoment, gradient, secondMoment);
        distinct("adamUpdate", secondMoment, gradient);
        delegate.adamUpdate(parameters, gradient, firstMoment, secondMoment, step);
    }

    @Override
    public void gatherRows(Matrix source, IndexVector indices, int offset, Matrix destination) {
        live("gatherRows", source, destination);
        live("gatherRows", indices);
        if (source.cols() != destination.cols()) {
            throw new IllegalArgumentException("gatherRows: source " + shape(source) + " and destination " + shape(destination) + " differ in columns");
        }
        if (offset < 0 || (long) offset + destination.rows() > indices.length()) {
            throw new IllegalArgumentException("gatherRows: rows [" + offset + ", " + ((long) offset + destination.rows())
                    + ") of an index vector of " + indices.length());
        }
        Integer largest = largestIndex.get(indices);
        if (largest != null && largest >= source.rows()) {
            throw new IllegalArgumentException("gatherRows: index vector holds row " + largest + " but the source has " + source.rows() + " rows");
        }
        distinct("gatherRows", destination, source);
        delegate.gatherRows(source, indices, offset, destination);
    }

    @Override
    public void fill(Matrix matrix, float value) {
        live("fill", matrix);
        delegate.fill(matrix, value);
    }

    @Override
    public void copy(Matrix source, Matrix destination) {
        live("copy", source, destination);
        same("copy", source, destination);
        delegate.copy(source, destination);
    }

    @Override
    public BackendStats stats() {
        return delegate.stats();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            largestIndex.clear();
            delegate.close();
        }
    }

    @Override
    public String toString() {
        return delegate.name() + " (" + delegate.deviceDescription() + ")";
    }

    // ---- the checks ---------------------------------------------------------------------------

    private void open() {
        if (closed) {
            throw new IllegalStateException("backend " + delegate.name() + " is closed");
        }
    }

    private void live(String operation, Matrix... matrices) {
        open();
        for (int i = 0; i < matrices.length; i++) {
            Matrix m = matrices[i];
            if (m == null) {
                throw new NullPointerException(operation + ": matrix argument " + (i + 1) + " is null");
            }
            if (m.isClosed()) {
                throw new IllegalStateException(operation + ": matrix argument " + (i + 1) + " " + shape(m) + " is closed");
            }
            if (m.owner() != delegate) {
                throw new IllegalArgumentException(operation + ": matrix argument " + (i + 1) + " belongs to another backend");
            }
        }
    }

    private void live(String operation, IndexVector indices) {
        open();
        if (indices == null) {
            throw new NullPointerException(operation + ": index vector is null");
        }
        if (indices.isClosed()) {
            throw new IllegalStateException(operation + ": index vector is closed");
        }
        if (indices.owner() != delegate) {
            throw new IllegalArgumentException(operation + ": index vector belongs to another backend");
        }
    }

    private static void scalar(String operation, String role, Matrix m) {
        if (m.rows() != 1 || m.cols() != 1) {
            throw new IllegalArgumentException(operation + ": " + role + " " + shape(m) + " (expected 1 × 1)");
        }
    }

    private static void same(String operation, Matrix first, Matrix... others) {
        for (Matrix other : others) {
            if (!sameShape(first, other)) {
                throw new IllegalArgumentException(operation + ": shapes " + shape(first) + " and " + shape(other) + " differ");
            }
        }
    }

    private static void distinct(String operation, Matrix output, Matrix... inputs) {
        for (Matrix input : inputs) {
            if (output == input) {
                throw new IllegalArgumentException(operation + ": the output " + shape(output) + " must not also be an input");
            }
        }
    }

    private static boolean sameShape(Matrix a, Matrix b) {
        return a.rows() == b.rows() && a.cols() == b.cols();
    }

    private static String shape(Matrix m) {
        return "(" + m.rows() + " × " + m.cols() + ")";
    }
}
