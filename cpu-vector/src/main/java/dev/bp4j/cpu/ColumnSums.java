package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * result = α·(column sums of a matrix) + β·result, in fixed bands of {@link #BAND_ROWS} rows:
 * each band's sums go to its own row of partial sums, and the partials are added in band
 * order. Threads take contiguous runs of bands, so each reads the row bands it wrote itself
 * (a weight gradient, split by rows between threads in the product that made it), where
 * splitting the columns made each thread read half of every row from the other core: the
 * 256 × 784 gradient's sums took 24–50 µs inside a training step on two threads against 11 µs
 * on one. The bands do not depend on the thread count, so neither do the bits. A matrix of
 * one band is summed directly, its columns split between threads; so is one of more than
 * {@link #BANDED_MAX_ELEMENTS}, which no longer sits in the writers' caches anyway: at batch
 * 1024 (784-1024-1024-10) the four large sums of a step took 2–28 % longer in bands than split
 * by columns in two interleaved pairs (the step itself: within this machine's noise).
 */
final class ColumnSums {

    static final int BAND_ROWS = 64;
    /** 1 MiB of floats: half of it per thread on two cores, within each core's L2. */
    static final int BANDED_MAX_ELEMENTS = 1 << 18;

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    private final WorkerPool pool;
    private final int grain;
    /** bands × cols partial sums, grown on demand; written by the bands' threads, read by the caller. */
    private float[] partials = new float[0];

    /** {@code grain}: the fewest elements worth a thread of their own. */
    ColumnSums(WorkerPool pool, int grain) {
        this.pool = pool;
        this.grain = grain;
    }

    void sum(float alpha, float[] matrix, int rows, int cols, float beta, float[] result) {
        int bands = (rows + BAND_ROWS - 1) / BAND_ROWS;
        if (bands <= 1 || (long) rows * cols > BANDED_MAX_ELEMENTS) {
            pool.runRange(cols, Math.max(VectorWidth.LANES, grain / Math.max(1, rows)),
                    (from, to, worker) -> RowKernels.columnSums(alpha, matrix, 0, rows, cols, beta, result, 0, from, to));
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
                RowKernels.columnSums(1f, matrix, band * BAND_ROWS, Math.min(rows, (band + 1) * BAND_ROWS), cols, 0f,
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
}
