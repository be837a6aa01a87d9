package dev.bp4j.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LayerWidthsTest {

    @Test
    void parsesCommaSeparatedWidths() {
        assertArrayEquals(new int[] {784, 256, 256, 10}, LayerWidths.parse("layers", "784,256,256,10"));
    }

    @Test
    void parsesDashSeparatedWidthsAsJmhPassesThem() {
        assertArrayEquals(new int[] {784, 4096, 4096, 10}, LayerWidths.parse("layers", "784-4096-4096-10"));
    }

    @Test
    void namesThePositionOfABadWidth() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> LayerWidths.parse("layers", "784,x6,10"));
        assertEquals("layers: character 5 of '784,x6,10': expected a positive layer width, got 'x6'", error.getMessage());
    }

    @Test
    void rejectsZeroWidthsAndSingleLayers() {
        assertThrows(IllegalArgumentException.class, () -> LayerWidths.parse("layers", "784,0,10"));
        assertThrows(IllegalArgumentException.class, () -> LayerWidths.parse("layers", "784"));
        assertThrows(IllegalArgumentException.class, () -> LayerWidths.parse("layers", "784--10"));
    }
}
