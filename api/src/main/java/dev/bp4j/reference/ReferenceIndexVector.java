package dev.bp4j.reference;

import dev.bp4j.api.Backend;
import dev.bp4j.api.IndexVector;

/** An index vector of the reference backend: a plain int array. */
final class ReferenceIndexVector implements IndexVector {
    private final ReferenceBackend owner;
    private final int length;
    private int[] indices;

    ReferenceIndexVector(ReferenceBackend owner, int length) {
        this.owner = owner;
        this.length = length;
        this.indices = new int[length];
    }

    int[] indices() {
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
