package dev.bp4j.trainer.model;

import java.util.Arrays;

/** A float32 tensor as stored in a safetensors file: its shape and its elements, row-major. */
public record Tensor(long[] shape, float[] data) {

    public Tensor {
        shape = shape.clone();
        long count = 1;
        for (long dimension : shape) {
            if (dimension < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dimension);
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count + " elements, not " + data.length);
        }
    }

    public static Tensor vector(float[] data) {
        return new Tensor(new long[] {data.length}, data);
    }

    public static Tensor matrix(int rows, int cols, float[] data) {
        return new Tensor(new long[] {rows, cols}, data);
    }

    /** The index of the first NaN or infinite element, or −1 when all are finite. */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor that && Arrays.equals(shape, that.shape) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
