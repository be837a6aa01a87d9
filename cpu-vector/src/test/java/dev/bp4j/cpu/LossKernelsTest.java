package dev.bp4j.cpu;

import dev.bp4j.api.contract.RandomValues;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class LossKernelsTest {

    @Test
    void softmaxCrossEntropyGivesARowTheSameBitsAcrossRowsAsAlone() {
        // Rows narrower than a vector go a vector of rows at a time; a range of one row takes
        // the row-by-row path. Both must agree to the bit, at every forced vector width.
        int lanes = VectorWidth.LANES;
        for (int cols = 1; cols < lanes; cols++) {
            int rows = 2 * lanes + 3;
            SplittableRandom random = new SplittableRandom(cols);
            float[] logits = RandomValues.uniform(random, rows * cols);
            for (int i = 0; i < logits.length; i++) {
                logits[i] *= 20;
            }
            float[] targets = new float[rows * cols];
            for (int row = 0; row < rows; row++) {
                targets[row * cols + random.nextInt(cols)] = 1f;
            }
            float[] acrossGradient = new float[rows * cols];
            float[] acrossLoss = new float[rows];
            LossKernels.softmaxCrossEntropy(logits, targets, 0.25f, acrossGradient, acrossLoss, cols, 0, rows, new float[lanes * lanes]);
            float[] aloneGradient = new float[rows * cols];
            float[] aloneLoss = new float[rows];
            for (int row = 0; row < rows; row++) {
                LossKernels.softmaxCrossEntropy(logits, targets, 0.25f, aloneGradient, aloneLoss, cols, row, row + 1, new float[lanes * lanes]);
            }
            assertArrayEquals(aloneGradient, acrossGradient, cols + " columns: gradient");
            assertArrayEquals(aloneLoss, acrossLoss, cols + " columns: row losses");
        }
    }
}
