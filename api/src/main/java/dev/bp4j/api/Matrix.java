package dev.bp4j.api;

/**
 * A dense float32 matrix, row-major, living on the device of the backend that allocated it.
 *
 * <p>The handle is owned by whoever called {@link Backend#allocate}: that caller closes it,
 * normally with try-with-resources or when it closes the object holding it. Closing twice does
 * nothing; using a closed matrix in an operation throws {@link IllegalStateException}. Closing
 * a backend releases whatever matrices are still open on it.
 */
public interface Matrix extends AutoCloseable {

    int rows();

    int cols();

    default long size() {
        return (long) rows() * cols();
    }

    /** The backend implementation that allocated this matrix; the facade checks ownership with it. */
    Backend owner();

    boolean isClosed();

    @Override
    void close();
}
