package dev.bp4j.api;

/**
 * Which units of one matrix inverted dropout keeps, defined without storing a mask. Element e
 * (its row-major index) takes word {@link #word(int) w} = (e / 16) mod 4 of the {@link Philox}
 * block {@link #block(int) b} = 16·(e / 64) + e mod 16, with counter (b, 0, low and high half of
 * {@code stream}) under key (low and high half of {@code seed}); it is kept when that word, as
 * an unsigned 32-bit number, is at least {@link #dropThreshold()}. A kept unit is scaled by
 * {@link #keepScale()} = 1 / (1 − rate), so the expected output equals the input.
 *
 * <p>Each block of four words serves four elements 16 apart within a tile of 64, so a SIMD
 * backend computes 16 (or 8, or 4) blocks side by side and takes each word for as many
 * consecutive elements, without shuffling words into element order.
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

    /** Words below this unsigned threshold drop their unit: round(rate · 2³²). */
    public int dropThreshold() {
        return (int) Math.min(0xFFFF_FFFFL, Math.round(rate * 4294967296.0));
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
        return (index >>> 6) * 16 + (index & 15);
    }

    /** Which of its block's four words element {@code index} takes. */
    public static int word(int index) {
        return (index >>> 4) & 3;
    }

    /** Whether element {@code index} (row-major) is kept: the scalar definition, for the oracle and tests. */
    public boolean keeps(int index) {
        int[] words = new int[4];
        Philox.block(block(index), 0, streamLow(), streamHigh(), keyLow(), keyHigh(), words);
        return Integer.compareUnsigned(words[word(index)], dropThreshold()) >= 0;
    }
}
