package dev.bp4j.cpu;

import dev.bp4j.api.Backend;
import dev.bp4j.api.IndexVector;

/** An index vector of the cpu backend: an int array on the Java heap, owned by the caller. */
final class CpuIndexVector implements IndexVector {
    private final CpuBackend owner;
    private final int length;
    private int[] indices;

    CpuIndexVector(CpuBackend owner, int length) {
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
