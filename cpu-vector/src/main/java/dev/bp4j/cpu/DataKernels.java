package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The data-movement family (kernels/data.cl): {@code gather_rows}, {@code fill} and
 * {@code copy} over ranges of flat row-major arrays.
 *
 * <p>{@code gather_rows} copies rows chosen by an index vector out of a large matrix: how every
 * mini-batch is assembled from a shuffled training set. The source rows are scattered over
 * hundreds of MB, so each one starts with cache and TLB misses; copying one row at a time
 * leaves a single stream of misses in flight and waits on memory latency. STREAMS rows are copied side by
 * side instead, one vector of each in turn, so their misses overlap (docs/performance.md has
 * the gain).
 */
final class DataKernels {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int STREAMS = 4;

    private DataKernels() {
    }

    /** to[row, :] = from[index[offset + row], :] for the rows [firstRow, endRow) of {@code to}. */
    static void gatherRows(float[] from, int[] index, int offset, float[] to, int cols, int firstRow, int endRow) {
        int row = firstRow;
        int bound = S.loopBound(cols);
        for (; row + STREAMS <= endRow; row += STREAMS) {
            int from0 = index[offset + row] * cols;
            int from1 = index[offset + row + 1] * cols;
            int from2 = index[offset + row + 2] * cols;
            int from3 = index[offset + row + 3] * cols;
            int to0 = row * cols;
            int j = 0;
            for (; j < bound; j += S.length()) {
                FloatVector.fromArray(S, from, from0 + j).intoArray(to, to0 + j);
                FloatVector.fromArray(S, from, from1 + j).intoArray(to, to0 + cols + j);
                FloatVector.fromArray(S, from, from2 + j).intoArray(to, to0 + 2 * cols + j);
                FloatVector.fromArray(S, from, from3 + j).intoArray(to, to0 + 3 * cols + j);
            }
            for (int stream = 0; stream < STREAMS && j < cols; stream++) {
                System.arraycopy(from, index[offset + row + stream] * cols + j, to, to0 + stream * cols + j, cols - j);
            }
        }
        for (; row < endRow; row++) {
            System.arraycopy(from, index[offset + row] * cols, to, row * cols, cols);
        }
    }

    /** matrix[e] = value for e in [from, to). */
    static void fill(float[] matrix, float value, int from, int to) {
        Arrays.fill(matrix, from, to, value);
    }

    /** destination[e] = source[e] for e in [from, to). */
    static void copy(float[] source, float[] destination, int from, int to) {
        System.arraycopy(source, from, destination, from, to - from);
    }
}
