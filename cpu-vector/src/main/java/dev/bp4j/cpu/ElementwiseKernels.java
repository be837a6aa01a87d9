package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise operations over a range [from, to) of flat row-major arrays: a vector loop and
 * one masked vector for the tail, so every element goes through the same arithmetic. Outputs
 * may alias inputs: each element is read before it is written.
 */
final class ElementwiseKernels {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    private ElementwiseKernels() {
    }

    /** y = f(x). */
    static void activate(Activation f, float[] x, float[] y, int from, int to) {
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += S.length()) {
            ActivationMath.apply(f, FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        if (i < to) {
            VectorMask<Float> tail = S.indexInRange(i, to);
            ActivationMath.apply(f, FloatVector.fromArray(S, x, i, tail)).intoArray(y, i, tail);
        }
    }

    /** r = g ⊙ f′ with f′ computed from the outputs a. */
    static void activationBackward(Activation f, float[] a, float[] g, float[] r, int from, int to) {
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += S.length()) {
            FloatVector derivative = ActivationMath.derivativeFromOutput(f, FloatVector.fromArray(S, a, i));
            FloatVector.fromArray(S, g, i).mul(derivative).intoArray(r, i);
        }
        if (i < to) {
            VectorMask<Float> tail = S.indexInRange(i, to);
            FloatVector derivative = ActivationMath.derivativeFromOutput(f, FloatVector.fromArray(S, a, i, tail));
            FloatVector.fromArray(S, g, i, tail).mul(derivative).intoArray(r, i, tail);
        }
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
