package dev.bp4j.api;

/**
 * An index vector held in an int array on the Java heap, the counterpart of {@link HeapMatrix}.
 * Created through {@link HeapBackend#allocateIndices}.
 */
public final class HeapIndexVector implements IndexVector {
    private final HeapBackend owner;
    private final int length;
    private int[] indices;

    HeapIndexVector(HeapBackend owner, int length) {
        this.owner = owner;
        this.length = length;
        this.indices = new int[length];
    }

    /** The indices, for the owning backend; null once closed. */
    public int[] indices() {
        return indices;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public Backend owner() {
        return owner;
    }

    @Override
    public boolean isClosed() {
        return indices == null;
    }

    @Override
    public void close() {
        if (indices != null) {
            indices = null;
            owner.released(this);
        }
    }
}
