package dev.bp4j.api;

/**
 * Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011): a counter-based generator, so any element's random word is a pure function of its
 * counter and the key, computed where it is needed, in any order, on any device. This is the
 * scalar definition every backend's vectorised or kernel version must reproduce bit for bit.
 */
public final class Philox {

    static final int MULTIPLIER_0 = 0xD2511F53;
    static final int MULTIPLIER_1 = 0xCD9E8D57;
    static final int WEYL_0 = 0x9E3779B9;
    static final int WEYL_1 = 0xBB67AE85;
    public static final int ROUNDS = 10;

    private Philox() {
    }

    /** The four 32-bit words of counter (c0, c1, c2, c3) under key (k0, k1), in {@code out[0..3]}. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < ROUNDS; round++) {
            long product0 = (MULTIPLIER_0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long product1 = (MULTIPLIER_1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int next0 = (int) (product1 >>> 32) ^ c1 ^ k0;
            int next1 = (int) product1;
            int next2 = (int) (product0 >>> 32) ^ c3 ^ k1;
            int next3 = (int) product0;
            c0 = next0;
            c1 = next1;
            c2 = next2;
            c3 = next3;
            k0 += WEYL_0;
            k1 += WEYL_1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }
}
