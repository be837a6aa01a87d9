package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** The operations between a (rows × cols) matrix and a (1 × cols) row vector. */
final class RowKernels {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    private RowKernels() {
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
    static void columnSums(float alpha, float[] matrix, int fromRow, int toRow, int cols, float beta, float[] result,
                           int resultAt, int fromCol, int toCol) {
        // Whole vectors unmasked, the tail masked: a mask on every load of the inner loop ran
        // these sums at half the speed. Four columns of vectors at a time: with one, each
        // add waits for the previous one, and a 256 × 784 gradient took 12 µs of add latency.
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
