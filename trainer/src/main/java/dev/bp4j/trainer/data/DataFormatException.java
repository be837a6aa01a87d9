package dev.bp4j.trainer.data;

/**
 * Input data or a model file is not what it should be. The message is one line that names the
 * file, the position in it (line and column, or byte offset) and what was expected there, e.g.
 * {@code train.csv:12:5: expected a number, found "abc"}. Messages quote what the file holds
 * (a header's tensor names, a cell), so control characters and line breaks in them are written
 * as {@code \xNN}: a crafted name cannot split the message or forge a second line.
 */
public class DataFormatException extends Exception {

    public DataFormatException(String message) {
        super(escapeLineBreaks(message));
    }

    public DataFormatException(String message, Throwable cause) {
        super(escapeLineBreaks(message), cause);
    }

    /** A message of the form {@code file:position: problem}. */
    public static DataFormatException at(Object file, String position, String problem) {
        return new DataFormatException(file + ":" + position + ": " + problem);
    }

    /** {@code text} with every control character and line or paragraph separator as {@code \xNN}. */
    static String escapeLineBreaks(String text) {
        if (text == null || text.codePoints().noneMatch(DataFormatException::breaksLines)) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            if (breaksLines(cp)) {
                escaped.append(String.format("\\x%02X", cp));
            } else {
                escaped.appendCodePoint(cp);
            }
        });
        return escaped.toString();
    }

    private static boolean breaksLines(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
