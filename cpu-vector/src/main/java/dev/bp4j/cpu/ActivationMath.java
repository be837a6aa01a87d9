package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Each activation and its derivative (from the output a = f(z), see {@link Activation}) on one
 * vector. Shared by the elementwise operations and the GEMM epilogues, so the forward layer and
 * a separate {@code activate} call give the same bits.
 */
final class ActivationMath {

    private ActivationMath() {
    }

    static FloatVector apply(Activation f, FloatVector z) {
        return switch (f) {
            case IDENTITY -> z;
            case SIGMOID -> sigmoid(z);
            case TANH -> tanh(z);
            case RELU -> z.max(0f);
        };
    }

    static FloatVector derivativeFromOutput(Activation f, FloatVector a) {
        return switch (f) {
            case IDENTITY -> FloatVector.broadcast(a.species(), 1f);
            case SIGMOID -> a.mul(a.neg().add(1f));
            case TANH -> a.neg().fma(a, FloatVector.broadcast(a.species(), 1f));
            case RELU -> FloatVector.zero(a.species()).blend(1f, a.compare(VectorOperators.GT, 0f));
        };
    }

    /** 1 / (1 + e^−z): the exponential overflows to a large finite value, never to infinity. */
    static FloatVector sigmoid(FloatVector z) {
        return FloatVector.broadcast(z.species(), 1f).div(VectorExp.exp(z.neg()).add(1f));
    }

    /** sign(z)·(1 − e)/(1 + e) with e = e^−2|z| ∈ (0, 1], which neither overflows nor cancels badly. */
    static FloatVector tanh(FloatVector z) {
        FloatVector e = VectorExp.exp(z.abs().mul(-2f));
        FloatVector magnitude = e.neg().add(1f).div(e.add(1f));
        return magnitude.blend(magnitude.neg(), z.compare(VectorOperators.LT, 0f));
    }
}
