package dev.bp4j.cpu.gemm;

import dev.bp4j.cpu.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the contiguous micro-panel order {@link MicroKernel}
 * streams through, reading the stored matrices directly in each transpose case, so no
 * transpose is ever materialised. Panels are zero-padded to full width: the padding only feeds
 * accumulators whose results are discarded, and zeros keep them free of stale NaNs and
 * slow subnormals.
 *
 * <p>Packed A: panel after panel of ROWS rows, element (i, p) of a panel at p·ROWS + i.
 * Packed B: panel after panel of COLS columns, element (p, j) of a panel at p·COLS + j.
 */
final class PanelPacking {

    private static final int ROWS = MicroKernel.ROWS;
    private static final int COLS = MicroKernel.COLS;
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int LANES = VectorWidth.LANES;
    /** Steps of k per slice of a transposed B panel: 64 × COLS floats, 8 KiB at 512 bits, stays in L1. */
    private static final int TRANSPOSE_SLICE = 64;

    private PanelPacking() {
    }

    /** Packs α·op(A)[i0 .. i0+rows, p0 .. p0+depth) into {@code out} from {@code outAt} on. */
    static void packA(GemmOperands op, int i0, int rows, int p0, int depth, float[] out, int outAt) {
        float[] a = op.a();
        float alpha = op.alpha();
        int lda = op.lda();
        for (int panel = 0; panel * ROWS < rows; panel++) {
            int base = outAt + panel * ROWS * depth;
            int first = i0 + panel * ROWS;
            int valid = Math.min(ROWS, rows - panel * ROWS);
            if (op.transposeA()) {
                // op(A)[i, p] = a[p, i]: each step of k reads ROWS adjacent elements of one stored row.
                for (int p = 0; p < depth; p++) {
                    int from = (p0 + p) * lda + first;
                    int to = base + p * ROWS;
                    for (int i = 0; i < valid; i++) {
                        out[to + i] = alpha * a[from + i];
                    }
                    for (int i = valid; i < ROWS; i++) {
                        out[to + i] = 0f;
                    }
                }
            } else {
                // Each stored row is read contiguously and scattered with stride ROWS into L1.
                for (int i = 0; i < valid; i++) {
                    int from = (first + i) * lda + p0;
                    for (int p = 0; p < depth; p++) {
                        out[base + p * ROWS + i] = alpha * a[from + p];
                    }
                }
                for (int i = valid; i < ROWS; i++) {
                    for (int p = 0; p < depth; p++) {
                        out[base + p * ROWS + i] = 0f;
                    }
                }
            }
        }
    }

    /** Packs op(B)[p0 .. p0+depth, j0 .. j0+cols) into {@code out} from {@code outAt} on. */
    static void packB(GemmOperands op, int p0, int depth, int j0, int cols, float[] out, int outAt) {
        float[] b = op.b();
        int ldb = op.ldb();
        for (int panel = 0; panel * COLS < cols; panel++) {
            int base = outAt + panel * COLS * depth;
            int first = j0 + panel * COLS;
            int valid = Math.min(COLS, cols - panel * COLS);
            if (op.transposeB() && valid == COLS && BlockTranspose.SUPPORTED) {
                // op(B)[p, j] = b[j, p]: the panel is the transpose of COLS stored rows, taken
                // LANES rows by LANES steps of k at a time in registers.
                int blocked = depth - depth % LANES;
                for (int rows = 0; rows < COLS; rows += LANES) {
                    int from = (first + rows) * ldb + p0;
                    for (int p = 0; p < blocked; p += LANES) {
                        BlockTranspose.transpose(b, from + p, ldb, out, base + p * COLS + rows, COLS);
                    }
                    for (int j = rows; j < rows + LANES; j++) {
                        int row = (first + j) * ldb + p0;
                        for (int p = blocked; p < depth; p++) {
                            out[base + p * COLS + j] = b[row + p];
                        }
                    }
                }
            } else if (op.transposeB()) {
                // Element by element, read along stored rows and written with stride COLS. In
                // slices of TRANSPOSE_SLICE steps of k, so the lines being written stay in L1
                // until every column has filled them: a whole panel (COLS × 512 floats, 64 KiB)
                // does not fit, and column by column over all of k the lines are evicted
                // before they fill (slices of 8 and 16 steps were slower).
                for (int slice = 0; slice < depth; slice += TRANSPOSE_SLICE) {
                    int end = Math.min(depth, slice + TRANSPOSE_SLICE);
                    for (int j = 0; j < valid; j++) {
                        int from = (first + j) * ldb + p0;
                        for (int p = slice; p < end; p++) {
                            out[base + p * COLS + j] = b[from + p];
                        }
                    }
                    for (int j = valid; j < COLS; j++) {
                        for (int p = slice; p < end; p++) {
                            out[base + p * COLS + j] = 0f;
                        }
                    }
                }
            } else if (valid == COLS) {
                for (int p = 0; p < depth; p++) {
                    int from = (p0 + p) * ldb + first;
                    int to = base + p * COLS;
                    for (int v = 0; v < COLS; v += LANES) {
                        FloatVector.fromArray(S, b, from + v).intoArray(out, to + v);
                    }
                }
            } else {
                for (int p = 0; p < depth; p++) {
                    int from = (p0 + p) * ldb + first;
                    int to = base + p * COLS;
                    for (int j = 0; j < valid; j++) {
                        out[to + j] = b[from + j];
                    }
                    for (int j = valid; j < COLS; j++) {
                        out[to + j] = 0f;
                    }
                }
            }
        }
    }
}
