package dev.bp4j.api;

/**
 * A vector of int32 row indices on a backend's device, used by {@link Backend#gatherRows} to
 * assemble mini-batches from a data set that is resident on the device. Ownership and closing
 * follow {@link Matrix}.
 */
public interface IndexVector extends AutoCloseable {

    int length();

    Backend owner();

    boolean isClosed();

    @Override
    void close();
}
