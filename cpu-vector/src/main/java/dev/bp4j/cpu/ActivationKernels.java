package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The activation family (kernels/activation.cl): each activation ({@code NAME_forward}), its
 * derivative from the output a = f(z) times a gradient ({@code NAME_backward}, see
 * {@link Activation}), and the Hadamard product, over a range of an array. Shared by the
 * elementwise operations and the GEMM epilogues, so the forward layer and a separate
 * {@code activate} call give the same bits. Outputs may alias inputs: each element is read
 * before it is written. Public only for the GEMM package's epilogues.
 *
 * <p>The switch on the activation sits outside the loops, and each activation has its own
 * loop method. With the switch inside one loop, a call site that has seen two activations (a
 * hidden sigmoid and an identity output, say) holds every branch's vector code in one
 * compilation, C2 reaches its node-count inlining cutoff, stops inlining the exponential's
 * helpers and allocates a box per vector, several times slower.
 */
public final class ActivationKernels {

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    private ActivationKernels() {
    }

    /** out[i] = f(z[i]) for i in [from, to); out may be z. */
    public static void activationForward(Activation f, float[] z, float[] out, int from, int to) {
        switch (f) {
            case IDENTITY -> {
                if (z != out) {
                    System.arraycopy(z, from, out, from, to - from);
                }
            }
            case SIGMOID -> sigmoid(z, out, from, to);
            case TANH -> tanh(z, out, from, to);
            case RELU -> relu(z, out, from, to);
        }
    }

    /**
     * out[outAt + i] = g[gAt + i] · f′(a[aAt + i]) for i in [0, length); out may be g. A bare
     * identity derivative copies g.
     */
    public static void activationBackward(Activation f, float[] a, int aAt, float[] g, int gAt, float[] out, int outAt,
                                     int length) {
        switch (f) {
            case IDENTITY -> {
                if (g != out || gAt != outAt) {
                    System.arraycopy(g, gAt, out, outAt, length);
                }
            }
            case SIGMOID -> sigmoidDerivative(a, aAt, g, gAt, out, outAt, length);
            case TANH -> tanhDerivative(a, aAt, g, gAt, out, outAt, length);
            case RELU -> reluDerivative(a, aAt, g, gAt, out, outAt, length);
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

    // Every loop runs unmasked over whole vectors and masked once at the tail: a mask on every
    // store is several times slower on arrays larger than the caches.

    private static void sigmoid(float[] z, float[] out, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            sigmoid(FloatVector.fromArray(S, z, i)).intoArray(out, i);
        }
        if (i < to) {
            VectorMask<Float> lanes = S.indexInRange(i, to);
            sigmoid(FloatVector.fromArray(S, z, i, lanes)).intoArray(out, i, lanes);
        }
    }

    private static void tanh(float[] z, float[] out, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            tanh(FloatVector.fromArray(S, z, i)).intoArray(out, i);
        }
        if (i < to) {
            VectorMask<Float> lanes = S.indexInRange(i, to);
            tanh(FloatVector.fromArray(S, z, i, lanes)).intoArray(out, i, lanes);
        }
    }

    private static void relu(float[] z, float[] out, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            relu(FloatVector.fromArray(S, z, i)).intoArray(out, i);
        }
        if (i < to) {
            VectorMask<Float> lanes = S.indexInRange(i, to);
            relu(FloatVector.fromArray(S, z, i, lanes)).intoArray(out, i, lanes);
        }
    }

    /** g · a(1 − a). */
    private static void sigmoidDerivative(float[] a, int aAt, float[] g, int gAt, float[] out, int outAt, int length) {
        int i = 0;
        for (int bound = S.loopBound(length); i < bound; i += S.length()) {
            FloatVector output = FloatVector.fromArray(S, a, aAt + i);
            FloatVector.fromArray(S, g, gAt + i).mul(output.mul(output.neg().add(1f))).intoArray(out, outAt + i);
        }
        if (i < length) {
            VectorMask<Float> lanes = S.indexInRange(i, length);
            FloatVector output = FloatVector.fromArray(S, a, aAt + i, lanes);
            FloatVector.fromArray(S, g, gAt + i, lanes).mul(output.mul(output.neg().add(1f))).intoArray(out, outAt + i, lanes);
        }
    }

    /** g · (1 − a²). */
    private static void tanhDerivative(float[] a, int aAt, float[] g, int gAt, float[] out, int outAt, int length) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(length); i < bound; i += S.length()) {
            FloatVector output = FloatVector.fromArray(S, a, aAt + i);
            FloatVector.fromArray(S, g, gAt + i).mul(output.neg().fma(output, one)).intoArray(out, outAt + i);
        }
        if (i < length) {
            VectorMask<Float> lanes = S.indexInRange(i, length);
            FloatVector output = FloatVector.fromArray(S, a, aAt + i, lanes);
            FloatVector.fromArray(S, g, gAt + i, lanes).mul(output.neg().fma(output, one)).intoArray(out, outAt + i, lanes);
        }
    }

    /** g where a > 0, else 0 (NaN included, as in the specification). */
    private static void reluDerivative(float[] a, int aAt, float[] g, int gAt, float[] out, int outAt, int length) {
        int i = 0;
        for (int bound = S.loopBound(length); i < bound; i += S.length()) {
            VectorMask<Float> inactive = FloatVector.fromArray(S, a, aAt + i).compare(VectorOperators.GT, 0f).not();
            FloatVector.fromArray(S, g, gAt + i).blend(0f, inactive).intoArray(out, outAt + i);
        }
        if (i < length) {
            VectorMask<Float> lanes = S.indexInRange(i, length);
            VectorMask<Float> inactive = FloatVector.fromArray(S, a, aAt + i, lanes).compare(VectorOperators.GT, 0f).not();
            FloatVector.fromArray(S, g, gAt + i, lanes).blend(0f, inactive).intoArray(out, outAt + i, lanes);
        }
    }

    /**
     * z where z > 0, else 0, as the specification says: NaN and −0 give 0 (max(z, 0) kept NaN,
     * unlike the reference backend and the OpenCL kernels).
     */
    static FloatVector relu(FloatVector z) {
        return z.blend(0f, z.compare(VectorOperators.GT, 0f).not());
    }

    /**
     * 1 / (1 + e^−z), with its own cheaper e^−z: the sum 1 + e^−z forgives the exponential a
     * relative error δ up to σ(1 − σ)·δ ≤ σ·δ in the result, so against the contract's
     * 1e-6 + 1e-5·σ a relative error of a few 1e-6 is enough, where {@link VectorExp#exp} spends
     * a degree-7 polynomial and a two-part ln 2 on float precision.
     *
     * <p>Same clamp and range reduction as VectorExp (so e^−z stays a finite normal float), but
     * with n = round(−z·log₂e), t = z + n·ln2 (VectorExp's −r) in one FMA (ln 2's float
     * rounding costs at most 127 × 2e-9 relative), e^−t by a degree-4 near-minimax polynomial
     * on |t| ≤ ln2/2 (relative error 2.6e-6; float32 evaluated over z ∈ [−88.4, 87.3] the worst
     * error is 0.15 of the contract's tolerance), and 1 + q·2ⁿ as one FMA. NaN stays NaN.
     */
    static FloatVector sigmoid(FloatVector z) {
        // Clamped by compare and blend, not max/min: those keep Math.max's rules for −0 and
        // NaN, which C2 builds from several instructions, and cost more than half of the whole
        // function (4.9 → 2.8 ns a 16-lane vector). NaN fails both compares and stays NaN.
        FloatVector low = z.blend(-88.37626f, z.compare(VectorOperators.LT, -88.37626f));
        FloatVector clamped = low.blend(87.33654f, low.compare(VectorOperators.GT, 87.33654f));
        // 1.5·2²³ + 127: rounds −z·log₂e to an integer n and leaves n + 127, the biased
        // exponent of 2ⁿ, in the low mantissa bits, so one shift builds 2ⁿ below.
        FloatVector shifted = clamped.fma(-1.44269504088896341f, 12583039f);
        FloatVector n = shifted.sub(12583039f);
        FloatVector t = n.fma(FloatVector.broadcast(S, 0.6931471805599453f), clamped);
        FloatVector q = t.fma(0.041458599269390106f, -0.16790908575057983f);
        q = q.fma(t, FloatVector.broadcast(S, 0.5000435709953308f));
        q = q.fma(t, FloatVector.broadcast(S, -0.9999634027481079f));
        q = q.fma(t, FloatVector.broadcast(S, 0.9999992847442627f));
        // n + 127 is in [1, 254] after the clamp: shifting by 23 drops the magic's high bits
        // and puts it in the exponent field, with a zero sign bit.
        IntVector exponent = ((IntVector) shifted.reinterpretAsInts()).lanewise(VectorOperators.LSHL, 23);
        FloatVector denominator = q.fma((FloatVector) exponent.reinterpretAsFloats(), FloatVector.broadcast(S, 1f));
        return FloatVector.broadcast(S, 1f).div(denominator);
    }

    /** sign(z)·(1 − e)/(1 + e) with e = e^−2|z| ∈ (0, 1], which neither overflows nor cancels badly. */
    static FloatVector tanh(FloatVector z) {
        FloatVector e = VectorExp.exp(z.abs().mul(-2f));
        FloatVector magnitude = e.neg().add(1f).div(e.add(1f));
        return magnitude.blend(magnitude.neg(), z.compare(VectorOperators.LT, 0f));
    }
}
