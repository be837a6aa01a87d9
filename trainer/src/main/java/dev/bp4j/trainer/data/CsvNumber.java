package dev.bp4j.trainer.data;

import java.nio.charset.StandardCharsets;

/**
 * The strict number syntax of CSV cells: an optional sign, digits with an optional decimal point,
 * and an optional exponent ({@code 12}, {@code -0.5}, {@code .25}, {@code 3.}, {@code 1e-3}).
 * Java's own parser also takes {@code NaN}, {@code Infinity}, hex floats and suffixes such as
 * {@code 1f}; none of those is a data value, so the syntax is checked here first.
 */
final class CsvNumber {

    /** Integers of up to 18 digits fit a long exactly; (float) of a long rounds correctly. */
    private static final int MAX_FAST_INTEGER_DIGITS = 18;

    private CsvNumber() {
    }

    /**
     * Parses {@code text[from, to)}: the value as the nearest float (±infinity when the number is
     * beyond float range), or NaN when the text is not a number in the syntax above.
     */
    static float parse(byte[] text, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (text[i] == '+' || text[i] == '-')) {
            negative = text[i] == '-';
            i++;
        }
        int integerStart = i;
        long integer = 0;
        while (i < to && isDigit(text[i])) {
            integer = integer * 10 + (text[i] - '0');
            i++;
        }
        int integerDigits = i - integerStart;
        if (i == to) {
            if (integerDigits == 0) {
                return Float.NaN;
            }
            if (integerDigits <= MAX_FAST_INTEGER_DIGITS) {
                return negative ? -(float) integer : (float) integer;
            }
            return parseValidated(text, from, to);
        }
        int fractionDigits = 0;
        if (text[i] == '.') {
            i++;
            int fractionStart = i;
            while (i < to && isDigit(text[i])) {
                i++;
            }
            fractionDigits = i - fractionStart;
        }
        if (integerDigits + fractionDigits == 0) {
            return Float.NaN;
        }
        if (i < to && (text[i] == 'e' || text[i] == 'E')) {
            i++;
            if (i < to && (text[i] == '+' || text[i] == '-')) {
                i++;
            }
            int exponentStart = i;
            while (i < to && isDigit(text[i])) {
                i++;
            }
            if (i == exponentStart) {
                return Float.NaN;
            }
        }
        return i == to ? parseValidated(text, from, to) : Float.NaN;
    }

    /** Whether {@code text[from, to)} spells NaN or an infinity, the non-finite values people write. */
    static boolean spellsNonFinite(byte[] text, int from, int to) {
        String word = new String(text, from, to - from, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        if (word.startsWith("+") || word.startsWith("-")) {
            word = word.substring(1);
        }
        return word.equals("nan") || word.equals("inf") || word.equals("infinity");
    }

    /** Exact decimal-to-float rounding for syntax already checked above. */
    private static float parseValidated(byte[] text, int from, int to) {
        return Float.parseFloat(new String(text, from, to - from, StandardCharsets.ISO_8859_1));
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
