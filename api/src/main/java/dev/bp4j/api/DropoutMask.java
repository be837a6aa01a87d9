package dev.bp4j.api;

/**
 * Which units of one matrix inverted dropout keeps, defined without storing a mask. Element e
 * (its row-major index) lies in tile e / 128; within it, u = e mod 128 takes half
 * {@link #half(int) h} = u / 64 (0: the low 16 bits, 1: the high 16 bits) of word
 * {@link #word(int) w} = (u / 16) mod 4 of the {@link Philox} block {@link #block(int) b} =
 * 16·(e / 128) + u mod 16, with counter (b, 0, low and high half of {@code stream}) under key
 * (low and high half of {@code seed}); it is kept when those 16 bits, as an unsigned number, are
 * at least {@link #dropThreshold()}. A kept unit is scaled by {@link #keepScale()} =
 * 1 / (1 − rate), so the expected output equals the input.
 *
 * <p>Sixteen bits per unit put the rate on a grid of 2⁻¹⁶, ample for dropout, and halve the
 * Philox work. Each block of four words serves eight elements 16 apart within a tile, so a SIMD
 * backend computes 16 (or 8, or 4) blocks side by side and takes each word, and each half of it,
 * for as many consecutive elements, without shuffling words into element order.
 *
 * <p>The forward and the backward pass of one step pass the same mask and regenerate the same
 * bits on the device; nothing but these three numbers crosses from the host.
 *
 * @param rate   the probability of dropping a unit, in [0, 1)
 * @param seed   the run's dropout key
 * @param stream distinguishes the masks of one run: the trainer uses one per step and layer
 */
public record DropoutMask(float rate, long seed, long stream) {

    public DropoutMask {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("the dropout rate must lie in [0, 1), got " + rate);
        }
    }

    /** Sixteen-bit values below this threshold drop their unit: round(rate · 2¹⁶), at most 2¹⁶ − 1. */
    public int dropThreshold() {
        return (int) Math.min(0xFFFF, Math.round(rate * 65536.0));
    }

    /** 1 / (1 − rate), rounded to float once, the factor every backend multiplies kept units by. */
    public float keepScale() {
        return (float) (1.0 / (1.0 - rate));
    }

    public int keyLow() {
        return (int) seed;
    }

    public int keyHigh() {
        return (int) (seed >>> 32);
    }

    public int streamLow() {
        return (int) stream;
    }

    public int streamHigh() {
        return (int) (stream >>> 32);
    }

    /** The Philox block counter element {@code index} draws from. */
    public static int block(int index) {
        return (index >>> 7) * 16 + (index & 15);
    }

    /** Which of its block's four words element {@code index} takes. */
    public static int word(int index) {
        return (index >>> 4) & 3;
    }

    /** Which half of the word element {@code index} takes: 0 the low 16 bits, 1 the high. */
    public static int half(int index) {
        return (index >>> 6) & 1;
    }

    /** Whether element {@code index} (row-major) is kept: the scalar definition, for the oracle and tests. */
    public boolean keeps(int index) {
        int[] words = new int[4];
        Philox.block(block(index), 0, streamLow(), streamHigh(), keyLow(), keyHigh(), words);
        return (words[word(index)] >>> (16 * half(index)) & 0xFFFF) >= dropThreshold();
    }
}
