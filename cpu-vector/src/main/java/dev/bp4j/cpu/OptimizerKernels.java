package dev.bp4j.cpu;

import dev.bp4j.api.AdamStep;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The optimizer family (kernels/optimizer.cl): {@code sgd_update}, {@code momentum_update} and
 * {@code adam_update} over a range [from, to) of flat parameter arrays, each fused into one
 * pass over its arrays (momentum updates velocity and parameters together; Adam both moments
 * and the parameters), with FMAs so every update rounds once.
 */
final class OptimizerKernels {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    private OptimizerKernels() {
    }

    /** p −= lr·(g + λp): L2 weight decay λ folded into the gradient by one FMA (exactly g when λ = 0). */
    static void sgdUpdate(float[] p, float[] g, float learningRate, float weightDecay, int from, int to) {
        FloatVector step = FloatVector.broadcast(S, -learningRate);
        FloatVector lambda = FloatVector.broadcast(S, weightDecay);
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += S.length()) {
            FloatVector parameters = FloatVector.fromArray(S, p, i);
            parameters.fma(lambda, FloatVector.fromArray(S, g, i)).fma(step, parameters).intoArray(p, i);
        }
        if (i < to) {
            VectorMask<Float> tail = S.indexInRange(i, to);
            FloatVector parameters = FloatVector.fromArray(S, p, i, tail);
            parameters.fma(lambda, FloatVector.fromArray(S, g, i, tail)).fma(step, parameters).intoArray(p, i, tail);
        }
    }

    /** v = μ·v + (g + λp), then p −= lr·v (PyTorch's form, with L2 weight decay λ). */
    static void momentumUpdate(float[] p, float[] g, float[] v, float learningRate, float momentum, float weightDecay,
                               int from, int to) {
        FloatVector step = FloatVector.broadcast(S, -learningRate);
        FloatVector decay = FloatVector.broadcast(S, momentum);
        FloatVector lambda = FloatVector.broadcast(S, weightDecay);
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += S.length()) {
            FloatVector parameters = FloatVector.fromArray(S, p, i);
            FloatVector gradient = parameters.fma(lambda, FloatVector.fromArray(S, g, i));
            FloatVector velocity = FloatVector.fromArray(S, v, i).fma(decay, gradient);
            velocity.intoArray(v, i);
            velocity.fma(step, parameters).intoArray(p, i);
        }
        if (i < to) {
            VectorMask<Float> tail = S.indexInRange(i, to);
            FloatVector parameters = FloatVector.fromArray(S, p, i, tail);
            FloatVector gradient = parameters.fma(lambda, FloatVector.fromArray(S, g, i, tail));
            FloatVector velocity = FloatVector.fromArray(S, v, i, tail).fma(decay, gradient);
            velocity.intoArray(v, i, tail);
            velocity.fma(step, parameters).intoArray(p, i, tail);
        }
    }

    /** p *= 1 − lr·λ (AdamW's decoupled decay; 1 when λ = 0); m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; p −= lr·(m/c₁)/(√(v/c₂) + ε). */
    static void adamUpdate(float[] p, float[] g, float[] m, float[] v, AdamStep step, int from, int to) {
        float beta1 = step.beta1();
        float beta2 = step.beta2();
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        float inverseCorrection1 = 1f / step.biasCorrection1();
        float inverseCorrection2 = 1f / step.biasCorrection2();
        FloatVector negativeRate = FloatVector.broadcast(S, -step.learningRate());
        float epsilon = step.epsilon();
        float decayFactor = step.decayFactor();
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector gradient = FloatVector.fromArray(S, g, i);
            FloatVector first = FloatVector.fromArray(S, m, i).mul(beta1).add(gradient.mul(oneMinusBeta1));
            FloatVector second = FloatVector.fromArray(S, v, i).mul(beta2).add(gradient.mul(gradient).mul(oneMinusBeta2));
            first.intoArray(m, i);
            second.intoArray(v, i);
            FloatVector denominator = second.mul(inverseCorrection2).sqrt().add(epsilon);
            FloatVector update = first.mul(inverseCorrection1).div(denominator);
            update.fma(negativeRate, FloatVector.fromArray(S, p, i).mul(decayFactor)).intoArray(p, i);
        }
        if (i < to) {
            VectorMask<Float> lanes = S.indexInRange(i, to);
            FloatVector gradient = FloatVector.fromArray(S, g, i, lanes);
            FloatVector first = FloatVector.fromArray(S, m, i, lanes).mul(beta1).add(gradient.mul(oneMinusBeta1));
            FloatVector second = FloatVector.fromArray(S, v, i, lanes).mul(beta2)
                    .add(gradient.mul(gradient).mul(oneMinusBeta2));
            first.intoArray(m, i, lanes);
            second.intoArray(v, i, lanes);
            FloatVector denominator = second.mul(inverseCorrection2).sqrt().add(epsilon);
            FloatVector update = first.mul(inverseCorrection1).div(denominator);
            update.fma(negativeRate, FloatVector.fromArray(S, p, i, lanes).mul(decayFactor)).intoArray(p, i, lanes);
        }
    }
}
