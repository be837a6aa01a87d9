package dev.bp4j.cpu.gemm;

import dev.bp4j.cpu.VectorWidth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The packs element for element against their definition, for both operands and both
 * orientations, at offsets into the stored matrix. The transposed-B pack takes register blocks
 * ({@link BlockTranspose}) for whole panels and whole blocks of k and element-by-element loops
 * for the rest, so the shapes put panels and depths on both sides of those edges. The product
 * tests reach the packs only through sums, where a swapped pair of elements could hide among
 * rounding; here every element must be where the layout says. Runs at every forced width too.
 */
class PanelPackingTest {

    private static final int ROWS = MicroKernel.ROWS;
    private static final int COLS = MicroKernel.COLS;
    private static final int LANES = VectorWidth.LANES;
    /** Where in the buffer the panels are packed; what lies before must stay untouched. */
    private static final int OFFSET = 7;

    static Stream<Arguments> blocks() {
        return Stream.of(
                Arguments.of(1, 1), Arguments.of(LANES, COLS), Arguments.of(LANES + 1, COLS - 1),
                Arguments.of(3 * LANES - 1, 2 * COLS + 5), Arguments.of(4 * LANES, 3 * COLS), Arguments.of(7, 2 * ROWS + 3));
    }

    @ParameterizedTest(name = "depth={0} width={1}")
    @MethodSource("blocks")
    void everyElementLandsWhereTheLayoutSays(int depth, int width) {
        SplittableRandom random = new SplittableRandom(depth * 131L + width);
        int p0 = 3;
        int first = 2;
        // Stored larger than the block on every side, so an index off by one reads a wrong value.
        int storedRows = first + width + 4;
        int storedCols = p0 + depth + 5;
        float[] stored = new float[storedRows * storedCols];
        float[] storedTransposed = new float[storedCols * storedRows];
        for (int r = 0; r < storedRows; r++) {
            for (int c = 0; c < storedCols; c++) {
                float value = (float) random.nextDouble(-1, 1);
                stored[r * storedCols + c] = value;
                storedTransposed[c * storedRows + r] = value;
            }
        }
        float alpha = 0.5f;
        for (boolean transposed : new boolean[] {false, true}) {
            // op(B)[p, j] and op(A)[i, p] as the stored matrices hold them: B transposed is stored
            // (n × k) = stored, untransposed (k × n) = storedTransposed; A the other way round.
            GemmOperands b = new GemmOperands(false, transposed, 1, storedRows, storedCols, 1f,
                    new float[1], 1, transposed ? stored : storedTransposed, transposed ? storedCols : storedRows,
                    0f, new float[storedRows], storedRows, Epilogue.NONE);
            // At an offset into a larger buffer, as the threads of one product pack their shares of a shared one.
            float[] packedB = new float[OFFSET + Gemm.roundUp(width, COLS) * depth];
            PanelPacking.packB(b, p0, depth, first, width, packedB, OFFSET);
            assertArrayEquals(atOffset(expectedB(stored, storedCols, p0, depth, first, width)), packedB,
                    "B " + (transposed ? "transposed" : "untransposed"));

            GemmOperands a = new GemmOperands(transposed, false, storedRows, 1, storedCols, alpha,
                    transposed ? storedTransposed : stored, transposed ? storedRows : storedCols, new float[1], 1,
                    0f, new float[storedRows], 1, Epilogue.NONE);
            float[] packedA = new float[OFFSET + Gemm.roundUp(width, ROWS) * depth];
            PanelPacking.packA(a, first, width, p0, depth, packedA, OFFSET);
            assertArrayEquals(atOffset(expectedA(stored, storedCols, alpha, first, width, p0, depth)), packedA,
                    "A " + (transposed ? "transposed" : "untransposed"));
        }
    }

    /** {@code packed} after OFFSET untouched zeros. */
    private static float[] atOffset(float[] packed) {
        float[] buffer = new float[OFFSET + packed.length];
        System.arraycopy(packed, 0, buffer, OFFSET, packed.length);
        return buffer;
    }

    /** Panels of COLS columns j of op(B), element (p, j) at p·COLS + j, zero past the block. */
    private static float[] expectedB(float[] stored, int ld, int p0, int depth, int first, int width) {
        float[] packed = new float[Gemm.roundUp(width, COLS) * depth];
        for (int j = 0; j < width; j++) {
            int panel = j / COLS;
            for (int p = 0; p < depth; p++) {
                packed[panel * COLS * depth + p * COLS + j % COLS] = stored[(first + j) * ld + p0 + p];
            }
        }
        return packed;
    }

    /** Panels of ROWS rows i of α·op(A), element (i, p) at p·ROWS + i, zero past the block. */
    private static float[] expectedA(float[] stored, int ld, float alpha, int first, int height, int p0, int depth) {
        float[] packed = new float[Gemm.roundUp(height, ROWS) * depth];
        for (int i = 0; i < height; i++) {
            int panel = i / ROWS;
            for (int p = 0; p < depth; p++) {
                packed[panel * ROWS * depth + p * ROWS + i % ROWS] = alpha * stored[(first + i) * ld + p0 + p];
            }
        }
        return packed;
    }
}
