package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise arithmetic over a range [from, to) of flat row-major arrays (activations are in
 * {@link ActivationMath}): a vector loop and one masked vector for the tail, so every element
 * goes through the same arithmetic. Outputs may alias inputs: each element is read before it
 * is written.
 */
final class ElementwiseKernels {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    private ElementwiseKernels() {
    }

    /** r = a ⊙ b. */
    static void hadamard(float[] a, float[] b, float[] r, int from, int to) {
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).intoArray(r, i);
        }
        if (i < to) {
            VectorMask<Float> tail = S.indexInRange(i, to);
            FloatVector.fromArray(S, a, i, tail).mul(FloatVector.fromArray(S, b, i, tail)).intoArray(r, i, tail);
        }
    }
}
