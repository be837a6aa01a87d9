package dev.bp4j.cpu.gemm;

import dev.bp4j.api.Activation;
import dev.bp4j.cpu.ActivationKernels;
import dev.bp4j.cpu.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the GEMM does to a tile of C right after its last block of k, while the tile is still
 * in L1: this fuses a dense layer's bias and activation, and backpropagation's ⊙ f′(a), into
 * the product instead of sweeping C again.
 */
public sealed interface Epilogue {

    /** No epilogue: plain GEMM. */
    Epilogue NONE = new None();

    /** Applies to {@code c[at .. at+length)}, which holds row {@code row}, columns [col, col+length) of C. */
    void apply(float[] c, int at, int row, int col, int length);

    record None() implements Epilogue {
        @Override
        public void apply(float[] c, int at, int row, int col, int length) {
        }
    }

    /** C[i, j] = f(C[i, j] + bias[j]): a dense layer's forward pass, bias (1 × n). */
    record BiasActivation(float[] bias, Activation f) implements Epilogue {
        @Override
        public void apply(float[] c, int at, int row, int col, int length) {
            VectorSpecies<Float> s = VectorWidth.FLOATS;
            int j = 0;
            for (int bound = s.loopBound(length); j < bound; j += s.length()) {
                FloatVector.fromArray(s, c, at + j).add(FloatVector.fromArray(s, bias, col + j)).intoArray(c, at + j);
            }
            // The tail element by element where a whole vector would pass the end of C or of the
            // bias: a masked load there takes the Vector API's lane-by-lane bounds check, which
            // allocates its masks (a 10-class output layer's bias: every row of every step).
            if (j < length && at + j + s.length() <= c.length && col + j + s.length() <= bias.length) {
                VectorMask<Float> lanes = s.indexInRange(j, length);
                FloatVector.fromArray(s, c, at + j, lanes).add(FloatVector.fromArray(s, bias, col + j, lanes))
                        .intoArray(c, at + j, lanes);
            } else {
                for (; j < length; j++) {
                    c[at + j] += bias[col + j];
                }
            }
            ActivationKernels.activationForward(f, c, c, at, at + length);
        }
    }

    /** C[i, j] ·= f′(a[i, j]) with the activations a (m × n, row length {@code cols}) that f produced. */
    record ActivationBackward(float[] activations, int cols, Activation f) implements Epilogue {
        @Override
        public void apply(float[] c, int at, int row, int col, int length) {
            ActivationKernels.activationBackward(f, activations, row * cols + col, c, at, c, at, length);
        }
    }
}
