package dev.bp4j.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The scalar Philox4x32-10 against Random123's published known-answer vectors (tests/kat_vectors). */
class PhiloxTest {

    @Test
    void matchesRandom123KnownAnswers() {
        assertBlock(new int[] {0, 0, 0, 0}, new int[] {0, 0}, new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
        assertBlock(new int[] {-1, -1, -1, -1}, new int[] {-1, -1}, new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
        assertBlock(new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, new int[] {0xa4093822, 0x299f31d0},
                new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
    }

    private static void assertBlock(int[] counter, int[] key, int[] expected) {
        int[] out = new int[4];
        Philox.block(counter[0], counter[1], counter[2], counter[3], key[0], key[1], out);
        assertArrayEquals(expected, out);
    }

    @Test
    void dropoutMaskThresholdAndScale() {
        assertEquals(0, new DropoutMask(0f, 1, 2).dropThreshold());
        assertEquals(32768, new DropoutMask(0.5f, 1, 2).dropThreshold());
        assertEquals(65535, new DropoutMask(0.999995f, 1, 2).dropThreshold());
        assertEquals(2f, new DropoutMask(0.5f, 1, 2).keepScale());
        assertThrows(IllegalArgumentException.class, () -> new DropoutMask(1f, 1, 2));
        DropoutMask none = new DropoutMask(0f, 7, 9);
        for (int i = 0; i < 1000; i++) {
            assertEquals(true, none.keeps(i), "rate 0 keeps every unit");
        }
    }
}
