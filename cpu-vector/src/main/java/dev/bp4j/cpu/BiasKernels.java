package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The bias family (kernels/bias.cl), the operations between a (rows × cols) matrix and a
 * (1 × cols) row vector: {@code add_row_vector} (a dense layer's bias, forward) and
 * {@code column_sums} (its gradient).
 *
 * <p>Column sums: result = α·(column sums of a matrix) + β·result, in fixed bands of
 * {@link #BAND_ROWS} rows: each band's sums go to its own row of partial sums, and the partials
 * are added in band order. Threads take contiguous runs of bands, so each reads the row bands it wrote itself
 * (a weight gradient, split by rows between threads in the product that made it), where
 * splitting the columns makes each thread read half of every row from the other core's cache,
 * slower on two threads than on one. The bands do not depend on the thread count, so neither do the bits. A matrix of
 * one band is summed directly, its columns split between threads; so is one of more than
 * {@link #BANDED_MAX_ELEMENTS}, which no longer sits in the writers' caches anyway: at batch
 * 1024 (784-1024-1024-10) the four large sums of a step took 2–28 % longer in bands than split
 * by columns in two interleaved pairs (the step itself: within this machine's noise).
 */
final class BiasKernels {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    static final int BAND_ROWS = 64;
    /** 1 MiB of floats: half of it per thread on two cores, within each core's L2. */
    static final int BANDED_MAX_ELEMENTS = 1 << 18;

    private final WorkerPool pool;
    private final int grain;
    /** bands × cols partial sums, grown on demand; written by the bands' threads, read by the caller. */
    private float[] partials = new float[0];

    /** {@code grain}: the fewest elements worth a thread of their own. */
    BiasKernels(WorkerPool pool, int grain) {
        this.pool = pool;
        this.grain = grain;
    }

    /** result = α·(column sums of matrix) + β·result, the bias gradient; see the class comment for the bands. */
    void columnSums(float alpha, float[] matrix, int rows, int cols, float beta, float[] result) {
        int bands = (rows + BAND_ROWS - 1) / BAND_ROWS;
        if (bands <= 1 || (long) rows * cols > BANDED_MAX_ELEMENTS) {
            pool.runRange(cols, Math.max(VectorWidth.LANES, grain / Math.max(1, rows)),
                    (from, to, worker) -> columnRangeSums(alpha, matrix, 0, rows, cols, beta, result, 0, from, to));
            return;
        }
        if (partials.length < bands * cols) {
            partials = new float[bands * cols];
        }
        float[] bandSums = partials;
        // Each thread a contiguous run of whole bands: the same row bands as a product's row
        // split between the same threads.
        pool.runRange(bands, Math.max(1, grain / (BAND_ROWS * cols)), 1, (from, to, worker) -> {
            for (int band = from; band < to; band++) {
                columnRangeSums(1f, matrix, band * BAND_ROWS, Math.min(rows, (band + 1) * BAND_ROWS), cols, 0f,
                        bandSums, band * cols, 0, cols);
            }
        });
        addBands(alpha, bandSums, bands, cols, beta, result);
    }

    /** result[j] = α·(partial₀[j] + partial₁[j] + … in band order) + β·result[j]. */
    private static void addBands(float alpha, float[] bandSums, int bands, int cols, float beta, float[] result) {
        for (int j = 0; j < cols; j += S.length()) {
            VectorMask<Float> lanes = S.indexInRange(j, cols);
            FloatVector total = FloatVector.fromArray(S, bandSums, j, lanes);
            for (int band = 1; band < bands; band++) {
                total = total.add(FloatVector.fromArray(S, bandSums, band * cols + j, lanes));
            }
            FloatVector scaled = total.mul(alpha);
            if (beta != 0f) {
                scaled = FloatVector.fromArray(S, result, j, lanes).mul(beta).add(scaled);
            }
            scaled.intoArray(result, j, lanes);
        }
    }

    /** matrix[i, :] += bias for the rows [fromRow, toRow). */
    static void addRowVector(float[] bias, float[] matrix, int cols, int fromRow, int toRow) {
        int bound = S.loopBound(cols);
        for (int row = fromRow; row < toRow; row++) {
            int at = row * cols;
            int j = 0;
            for (; j < bound; j += S.length()) {
                FloatVector.fromArray(S, matrix, at + j).add(FloatVector.fromArray(S, bias, j)).intoArray(matrix, at + j);
            }
            if (j < cols) {
                VectorMask<Float> tail = S.indexInRange(j, cols);
                FloatVector.fromArray(S, matrix, at + j, tail).add(FloatVector.fromArray(S, bias, j, tail))
                        .intoArray(matrix, at + j, tail);
            }
        }
    }

    /**
     * result[resultAt + j] = α·Σᵢ matrix[i, j] + β·result[resultAt + j] over the rows
     * [fromRow, toRow) for the columns [fromCol, toCol); with β = 0 the result is not read.
     * Each column vector is summed down the rows, in row order, in a register.
     */
    static void columnRangeSums(float alpha, float[] matrix, int fromRow, int toRow, int cols, float beta,
                                float[] result, int resultAt, int fromCol, int toCol) {
        // Whole vectors unmasked, the tail masked: a mask on every load of the inner loop ran
        // these sums at half the speed. Four columns of vectors at a time: with one, each
        // add waits for the previous one, and the sums run at the adder's latency, not its throughput.
        // Every column is still summed in row order, so the bits do not change.
        int j = fromCol;
        int width = S.length();
        for (int bound = toCol - 4 * width; j <= bound; j += 4 * width) {
            FloatVector sum0 = FloatVector.zero(S);
            FloatVector sum1 = FloatVector.zero(S);
            FloatVector sum2 = FloatVector.zero(S);
            FloatVector sum3 = FloatVector.zero(S);
            for (int row = fromRow; row < toRow; row++) {
                int at = row * cols + j;
                sum0 = sum0.add(FloatVector.fromArray(S, matrix, at));
                sum1 = sum1.add(FloatVector.fromArray(S, matrix, at + width));
                sum2 = sum2.add(FloatVector.fromArray(S, matrix, at + 2 * width));
                sum3 = sum3.add(FloatVector.fromArray(S, matrix, at + 3 * width));
            }
            if (beta != 0f) {
                sum0.mul(alpha).add(FloatVector.fromArray(S, result, resultAt + j).mul(beta)).intoArray(result, resultAt + j);
                sum1.mul(alpha).add(FloatVector.fromArray(S, result, resultAt + j + width).mul(beta)).intoArray(result, resultAt + j + width);
                sum2.mul(alpha).add(FloatVector.fromArray(S, result, resultAt + j + 2 * width).mul(beta)).intoArray(result, resultAt + j + 2 * width);
                sum3.mul(alpha).add(FloatVector.fromArray(S, result, resultAt + j + 3 * width).mul(beta)).intoArray(result, resultAt + j + 3 * width);
            } else {
                sum0.mul(alpha).intoArray(result, resultAt + j);
                sum1.mul(alpha).intoArray(result, resultAt + j + width);
                sum2.mul(alpha).intoArray(result, resultAt + j + 2 * width);
                sum3.mul(alpha).intoArray(result, resultAt + j + 3 * width);
            }
        }
        for (int bound = fromCol + S.loopBound(toCol - fromCol); j < bound; j += S.length()) {
            FloatVector sum = FloatVector.zero(S);
            for (int row = fromRow; row < toRow; row++) {
                sum = sum.add(FloatVector.fromArray(S, matrix, row * cols + j));
            }
            FloatVector scaled = sum.mul(alpha);
            if (beta != 0f) {
                scaled = FloatVector.fromArray(S, result, resultAt + j).mul(beta).add(scaled);
            }
            scaled.intoArray(result, resultAt + j);
        }
        if (j < toCol) {
            VectorMask<Float> lanes = S.indexInRange(j, toCol);
            FloatVector sum = FloatVector.zero(S);
            for (int row = fromRow; row < toRow; row++) {
                sum = sum.add(FloatVector.fromArray(S, matrix, row * cols + j, lanes));
            }
            FloatVector scaled = sum.mul(alpha);
            if (beta != 0f) {
                scaled = FloatVector.fromArray(S, result, resultAt + j, lanes).mul(beta).add(scaled);
            }
            scaled.intoArray(result, resultAt + j, lanes);
        }
    }
}
