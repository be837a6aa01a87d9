package dev.bp4j.trainer.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A format error's message stays one line whatever the file put into it. */
class DataFormatExceptionTest {

    @Test
    void lineBreaksAndControlCharactersFromTheFileAreEscaped() {
        DataFormatException e = DataFormatException.at("model.safetensors", "header",
                "unexpected [lay\ners.1.weight, a\rb, tab\there, nul\0, sep\u2028, del\u007f]");
        assertEquals("model.safetensors:header: unexpected [lay\\x0Aers.1.weight, a\\x0Db, tab\\x09here, nul\\x00, sep\\x2028, del\\x7F]",
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aMessageWithNothingToEscapeIsKeptAsItIs() {
        String message = "train.csv:12:5: expected a number, found \"abc\" — ü";
        assertSame(message, DataFormatException.escapeLineBreaks(message));
        assertEquals(message, new DataFormatException(message).getMessage());
    }
}
