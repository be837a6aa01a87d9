package dev.bp4j.trainer.data;

/**
 * Input data or a model file is not what it should be. The message is one line that names the
 * file, the position in it (line and column, or byte offset) and what was expected there, e.g.
 * {@code train.csv:12:5: expected a number, found "abc"}.
 */
public class DataFormatException extends Exception {

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A message of the form {@code file:position: problem}. */
    public static DataFormatException at(Object file, String position, String problem) {
        return new DataFormatException(file + ":" + position + ": " + problem);
    }
}
