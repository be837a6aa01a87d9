package dev.bp4j.cpu;

import dev.bp4j.api.Activation;
import dev.bp4j.api.DropoutMask;
import dev.bp4j.api.Philox;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dropout family (kernels/dropout.cl): the activation and inverted dropout in one pass per
 * tile of {@value #TILE} elements, forward ({@code dropout_forward}) and backward
 * ({@code dropout_backward}), the mask's bits regenerated from {@link DropoutMask}'s Philox
 * definition in both. A tile's 16 Philox blocks run side by side in 64-bit lanes (the 32 × 32 →
 * 64-bit products Philox needs); word w of the blocks then covers elements 16w … 16w + 15 of the
 * tile with its low halves and 64 + 16w … 64 + 16w + 15 with its high halves, so the words land
 * in element order without a shuffle. Each tile's activation is written and masked while it is
 * in the L1 cache.
 */
final class DropoutKernels {

    /** Elements per tile: 16 blocks of 4 words of 2 halves (see {@link DropoutMask}). */
    static final int TILE = 128;
    /** The elements the low halves of a tile's words serve; the high halves serve as many after them. */
    private static final int HALF_TILE = TILE / 2;
    private static final int BLOCKS = 16;
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final VectorSpecies<Integer> I = VectorWidth.INTS;
    /** As many 64-bit lanes as the float species's bits allow, each holding one 32-bit Philox word. */
    private static final VectorSpecies<Long> L = VectorSpecies.of(long.class, S.vectorShape());
    private static final VectorSpecies<Integer> NARROWED = VectorSpecies.of(int.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
    private static final long LOW = 0xFFFF_FFFFL;
    private static final long MULTIPLIER_0 = 0xD2511F53L;
    private static final long MULTIPLIER_1 = 0xCD9E8D57L;
    private static final long WEYL_0 = 0x9E3779B9L;
    private static final long WEYL_1 = 0xBB67AE85L;

    private DropoutKernels() {
    }

    /** Scratch a worker needs: the words of one tile. */
    static int[] scratch() {
        return new int[HALF_TILE];
    }

    /** a = f(z), y = a ⊙ keep · scale over the tiles [fromTile, toTile) of n elements; a may be z. */
    static void forward(Activation f, float[] z, float[] a, float[] y, DropoutMask mask, int n, int fromTile, int toTile, int[] words) {
        int threshold = mask.dropThreshold();
        float scale = mask.keepScale();
        for (int tile = fromTile; tile < toTile; tile++) {
            int from = tile * TILE;
            int to = Math.min(from + TILE, n);
            ActivationKernels.activationForward(f, z, a, from, to);
            tileWords(mask, tile, words);
            applyMask(a, y, from, to, words, threshold, scale);
        }
    }

    /** r = g ⊙ f′(a) ⊙ keep · scale over the tiles [fromTile, toTile) of n elements; r may be g. */
    static void backward(Activation f, float[] a, float[] g, float[] r, DropoutMask mask, int n, int fromTile, int toTile, int[] words) {
        int threshold = mask.dropThreshold();
        float scale = mask.keepScale();
        for (int tile = fromTile; tile < toTile; tile++) {
            int from = tile * TILE;
            int to = Math.min(from + TILE, n);
            ActivationKernels.activationBackward(f, a, from, g, from, r, from, to - from);
            tileWords(mask, tile, words);
            applyMask(r, r, from, to, words, threshold, scale);
        }
    }

    /**
     * out[e] = in[e]·scale where the 16 bits of element e − from (the low halves of words[k] for
     * k &lt; 64, the high halves of words[k − 64] after) are at least threshold, else 0, for e in
     * [from, to).
     */
    private static void applyMask(float[] in, float[] out, int from, int to, int[] words, int threshold, float scale) {
        for (int k = 0; from + k < to; k += S.length()) {
            int e = from + k;
            IntVector word = IntVector.fromArray(I, words, k % HALF_TILE);
            IntVector bits = k < HALF_TILE ? word.and(0xFFFF) : word.lanewise(VectorOperators.LSHR, 16);
            VectorMask<Float> dropped = bits.compare(VectorOperators.LT, threshold).cast(S);
            if (e + S.length() <= to) {
                FloatVector.fromArray(S, in, e).mul(scale).blend(0f, dropped).intoArray(out, e);
            } else {
                VectorMask<Float> lanes = S.indexInRange(e, to);
                FloatVector.fromArray(S, in, e, lanes).mul(scale).blend(0f, dropped).intoArray(out, e, lanes);
            }
        }
    }

    /** words[16w + b] = word w of Philox block 16·tile + b, for the mask's counter and key. */
    static void tileWords(DropoutMask mask, int tile, int[] words) {
        LongVector stream0 = LongVector.broadcast(L, mask.streamLow() & LOW);
        LongVector stream1 = LongVector.broadcast(L, mask.streamHigh() & LOW);
        for (int first = 0; first < BLOCKS; first += L.length()) {
            LongVector x0 = LongVector.zero(L).addIndex(1).add((long) tile * BLOCKS + first);
            LongVector x1 = LongVector.zero(L);
            LongVector x2 = stream0;
            LongVector x3 = stream1;
            long k0 = mask.keyLow() & LOW;
            long k1 = mask.keyHigh() & LOW;
            for (int round = 0; round < Philox.ROUNDS; round++) {
                LongVector product0 = x0.mul(MULTIPLIER_0);
                LongVector product1 = x2.mul(MULTIPLIER_1);
                x0 = product1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, x1).lanewise(VectorOperators.XOR, k0);
                x1 = product1.and(LOW);
                x2 = product0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, x3).lanewise(VectorOperators.XOR, k1);
                x3 = product0.and(LOW);
                k0 = (k0 + WEYL_0) & LOW;
                k1 = (k1 + WEYL_1) & LOW;
            }
            narrowInto(x0, words, first);
            narrowInto(x1, words, BLOCKS + first);
            narrowInto(x2, words, 2 * BLOCKS + first);
            narrowInto(x3, words, 3 * BLOCKS + first);
        }
    }

    private static void narrowInto(LongVector words32, int[] words, int at) {
        ((IntVector) words32.convertShape(VectorOperators.L2I, NARROWED, 0)).intoArray(words, at);
    }
}
