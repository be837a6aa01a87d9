package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import dev.bp4j.api.AdamStep;
import dev.bp4j.api.DropoutMask;
import dev.bp4j.api.HeapBackend;
import dev.bp4j.api.HeapIndexVector;
import dev.bp4j.api.IndexVector;
import dev.bp4j.api.Matrix;
import dev.bp4j.cpu.gemm.Epilogue;
import dev.bp4j.cpu.gemm.Gemm;
import dev.bp4j.cpu.gemm.GemmBlocking;
import dev.bp4j.cpu.gemm.GemmOperands;

/**
 * The Vector API backend: matrices are heap float arrays, products run through the packed
 * {@link Gemm}, everything else through vectorised kernels, split across one long-lived
 * {@link WorkerPool} when an operation is large enough to pay for the hand-off. Operations are
 * synchronous: each has finished when it returns.
 *
 * <p>Arguments are trusted; {@link dev.bp4j.api.Backends} puts the checking facade in front.
 */
final class CpuBackend extends HeapBackend {

    /** Elementwise work below this many elements per thread stays on the calling thread. */
    private static final int ELEMENTWISE_GRAIN = 1 << 15;
    /**
     * Dropout tiles per thread at least: the Philox words cost about as much as the memory
     * traffic they save, so a hidden layer of a usual batch (128 × 256) is split across the
     * threads where the elementwise grain would keep it on one.
     */
    private static final int DROPOUT_TILE_GRAIN = (1 << 12) / DropoutKernels.TILE;

    private final WorkerPool pool;
    private final Gemm gemm;
    private final BiasKernels bias;
    /** Per thread, the losses' scratch: a vector's lanes added in order, a block of rows taken across lanes. */
    private final float[][] lossScratch;
    /** The sums of squares of each chunk, added in chunk order; grown on demand. */
    private double[] chunkSums = new double[64];
    /** Per thread, the Philox words of one dropout tile. */
    private final int[][] dropoutScratch;
    private final String description;

    CpuBackend(int threads, GemmBlocking blocking) {
        this.pool = new WorkerPool(threads);
        this.gemm = new Gemm(pool, blocking);
        this.bias = new BiasKernels(pool, ELEMENTWISE_GRAIN);
        this.lossScratch = new float[threads][VectorWidth.LANES * VectorWidth.LANES];
        this.dropoutScratch = new int[threads][];
        for (int t = 0; t < threads; t++) {
            dropoutScratch[t] = DropoutKernels.scratch();
        }
        this.description = CpuModel.name() + ", " + VectorWidth.describe() + ", " + threads
                + (threads == 1 ? " thread" : " threads");
    }

    @Override
    public String name() {
        return CpuBackendProvider.NAME;
    }

    @Override
    public String deviceDescription() {
        return description;
    }

    /** Vector API code runs boxed until C2 has compiled it, which the first epoch would pay for. */
    @Override
    public boolean benefitsFromWarmUp() {
        return true;
    }

    // ---- matrix products ----------------------------------------------------------------------

    @Override
    public void gemm(boolean transposeA, boolean transposeB, float alpha, Matrix a, Matrix b, float beta, Matrix c) {
        counters().launched(1);
        int k = transposeA ? a.rows() : a.cols();
        gemm.multiply(new GemmOperands(transposeA, transposeB, c.rows(), c.cols(), k,
                alpha, data(a), a.cols(), data(b), b.cols(), beta, data(c), c.cols(), Epilogue.NONE));
    }

    @Override
    public void denseForward(Matrix input, Matrix weights, Matrix bias, Activation f, Matrix output) {
        counters().launched(1);
        // output (batch × out) = input (batch × in) · weightsᵀ (in × out), then f(· + bias) per tile.
        gemm.multiply(new GemmOperands(false, true, output.rows(), output.cols(), input.cols(),
                1f, data(input), input.cols(), data(weights), weights.cols(), 0f, data(output), output.cols(),
                new Epilogue.BiasActivation(data(bias), f)));
    }

    @Override
    public void denseBackward(Matrix delta, Matrix weights, Matrix activations, Activation f, Matrix result) {
        counters().launched(1);
        // result (batch × in) = delta (batch × out) · weights (out × in), then ⊙ f′(a) per tile.
        gemm.multiply(new GemmOperands(false, false, result.rows(), result.cols(), delta.cols(),
                1f, data(delta), delta.cols(), data(weights), weights.cols(), 0f, data(result), result.cols(),
                new Epilogue.ActivationBackward(data(activations), activations.cols(), f)));
    }

    // ---- elementwise --------------------------------------------------------------------------

    @Override
    public void activate(Activation f, Matrix input, Matrix output) {
        counters().launched(1);
        float[] x = data(input);
        float[] y = data(output);
        pool.runRange(x.length, ELEMENTWISE_GRAIN, (from, to, worker) -> ActivationKernels.activationForward(f, x, y, from, to));
    }

    @Override
    public void activationBackward(Activation f, Matrix outputs, Matrix gradient, Matrix result) {
        counters().launched(1);
        float[] a = data(outputs);
        float[] g = data(gradient);
        float[] r = data(result);
        pool.runRange(a.length, ELEMENTWISE_GRAIN, (from, to, worker) -> ActivationKernels.activationBackward(f, a, from, g, from, r, from, to - from));
    }

    @Override
    public void dropoutForward(Activation f, Matrix input, Matrix activations, DropoutMask mask, Matrix output) {
        counters().launched(1);
        float[] z = data(input);
        float[] a = data(activations);
        float[] y = data(output);
        pool.runRange(tiles(z.length), DROPOUT_TILE_GRAIN, 1,
                (from, to, worker) -> DropoutKernels.forward(f, z, a, y, mask, z.length, from, to, dropoutScratch[worker]));
    }

    @Override
    public void dropoutBackward(Activation f, Matrix activations, Matrix gradient, DropoutMask mask, Matrix result) {
        counters().launched(1);
        float[] a = data(activations);
        float[] g = data(gradient);
        float[] r = data(result);
        pool.runRange(tiles(a.length), DROPOUT_TILE_GRAIN, 1,
                (from, to, worker) -> DropoutKernels.backward(f, a, g, r, mask, a.length, from, to, dropoutScratch[worker]));
    }

    private static int tiles(int elements) {
        return (elements + DropoutKernels.TILE - 1) / DropoutKernels.TILE;
    }

    @Override
    public void hadamard(Matrix a, Matrix b, Matrix result) {
        counters().launched(1);
        float[] x = data(a);
        float[] y = data(b);
        float[] r = data(result);
        pool.runRange(x.length, ELEMENTWISE_GRAIN, (from, to, worker) -> ActivationKernels.hadamard(x, y, r, from, to));
    }

    @Override
    public void addRowVector(Matrix bias, Matrix matrix) {
        counters().launched(1);
        float[] b = data(bias);
        float[] m = data(matrix);
        int cols = matrix.cols();
        pool.runRange(matrix.rows(), rowGrain(cols), (from, to, worker) -> BiasKernels.addRowVector(b, m, cols, from, to));
    }

    @Override
    public void columnSums(float alpha, Matrix matrix, float beta, Matrix result) {
        counters().launched(1);
        bias.columnSums(alpha, data(matrix), matrix.rows(), matrix.cols(), beta, data(result));
    }

    // ---- losses -------------------------------------------------------------------------------

    @Override
    public void softmaxCrossEntropy(Matrix logits, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        loss(LossKernels::softmaxCrossEntropy, logits, targets, scale, gradient, rowLoss);
    }

    @Override
    public void sigmoidCrossEntropy(Matrix logits, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        loss(LossKernels::sigmoidCrossEntropy, logits, targets, scale, gradient, rowLoss);
    }

    @Override
    public void squaredError(Matrix outputs, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        loss(LossKernels::squaredError, outputs, targets, scale, gradient, rowLoss);
    }

    private void loss(LossKernels.RowLoss kernel, Matrix outputs, Matrix targets, float scale, Matrix gradient, Matrix rowLoss) {
        counters().launched(1);
        float[] a = data(outputs);
        float[] y = data(targets);
        float[] g = data(gradient);
        float[] loss = data(rowLoss);
        int cols = outputs.cols();
        pool.runRange(outputs.rows(), rowGrain(cols), (from, to, worker) -> kernel.run(a, y, scale, g, loss, cols, from, to, lossScratch[worker]));
    }

    @Override
    public void sumOfSquares(Matrix matrix, Matrix accumulator) {
        counters().launched(1);
        float[] x = data(matrix);
        int chunks = (x.length + ClippingKernels.CHUNK - 1) / ClippingKernels.CHUNK;
        if (chunkSums.length < chunks) {
            chunkSums = new double[Math.max(chunks, 2 * chunkSums.length)];
        }
        double[] sums = chunkSums;
        pool.runRange(chunks, 1, 1, (from, to, worker) -> {
            for (int c = from; c < to; c++) {
                sums[c] = ClippingKernels.sumOfSquares(x, c * ClippingKernels.CHUNK, Math.min(x.length, (c + 1) * ClippingKernels.CHUNK),
                        lossScratch[worker]);
            }
        });
        double total = 0;
        for (int c = 0; c < chunks; c++) {
            total += sums[c];
        }
        float[] result = data(accumulator);
        result[0] = (float) (result[0] + total);
    }

    @Override
    public void clipToNorm(Matrix squaredNorm, float maxNorm, Matrix matrix) {
        counters().launched(1);
        float factor = ClippingKernels.clipFactor(data(squaredNorm)[0], maxNorm);
        float[] m = data(matrix);
        pool.runRange(m.length, ELEMENTWISE_GRAIN, (from, to, worker) -> ClippingKernels.scale(m, factor, from, to));
    }

    @Override
    public void countCorrect(Matrix scores, Matrix targets, float threshold, Matrix counter) {
        counters().launched(1);
        int correct = LossKernels.countCorrect(data(scores), data(targets), scores.cols(), threshold, 0, scores.rows());
        data(counter)[0] += correct;
    }

    // ---- optimizer updates --------------------------------------------------------------------

    @Override
    public void sgdUpdate(Matrix parameters, Matrix gradient, float learningRate, float weightDecay) {
        counters().launched(1);
        float[] p = data(parameters);
        float[] g = data(gradient);
        pool.runRange(p.length, ELEMENTWISE_GRAIN,
                (from, to, worker) -> OptimizerKernels.sgdUpdate(p, g, learningRate, weightDecay, from, to));
    }

    @Override
    public void momentumUpdate(Matrix parameters, Matrix gradient, Matrix velocity, float learningRate, float momentum,
                               float weightDecay) {
        counters().launched(1);
        float[] p = data(parameters);
        float[] g = data(gradient);
        float[] v = data(velocity);
        pool.runRange(p.length, ELEMENTWISE_GRAIN,
                (from, to, worker) -> OptimizerKernels.momentumUpdate(p, g, v, learningRate, momentum, weightDecay, from, to));
    }

    @Override
    public void adamUpdate(Matrix parameters, Matrix gradient, Matrix firstMoment, Matrix secondMoment, AdamStep step) {
        counters().launched(1);
        float[] p = data(parameters);
        float[] g = data(gradient);
        float[] m = data(firstMoment);
        float[] v = data(secondMoment);
        pool.runRange(p.length, ELEMENTWISE_GRAIN, (from, to, worker) -> OptimizerKernels.adamUpdate(p, g, m, v, step, from, to));
    }

    // ---- data movement ------------------------------------------------------------------------

    @Override
    public void gatherRows(Matrix source, IndexVector indices, int offset, Matrix destination) {
        counters().launched(1);
        int[] index = ((HeapIndexVector) indices).indices();
        float[] from = data(source);
        float[] to = data(destination);
        int cols = source.cols();
        pool.runRange(destination.rows(), rowGrain(cols), (first, end, worker) -> DataKernels.gatherRows(from, index, offset, to, cols, first, end));
    }

    @Override
    public void fill(Matrix matrix, float value) {
        counters().launched(1);
        float[] m = data(matrix);
        pool.runRange(m.length, ELEMENTWISE_GRAIN, (from, to, worker) -> DataKernels.fill(m, value, from, to));
    }

    @Override
    public void copy(Matrix source, Matrix destination) {
        counters().launched(1);
        float[] from = data(source);
        float[] to = data(destination);
        pool.runRange(from.length, ELEMENTWISE_GRAIN, (first, end, worker) -> DataKernels.copy(from, to, first, end));
    }

    // ---- life cycle ---------------------------------------------------------------------------

    /** The matrices first, then the worker threads. */
    @Override
    public void close() {
        super.close();
        pool.close();
    }

    /** Rows per thread such that each thread gets at least {@link #ELEMENTWISE_GRAIN} elements. */
    private static int rowGrain(int cols) {
        return Math.max(1, ELEMENTWISE_GRAIN / cols);
    }
}
