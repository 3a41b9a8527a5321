package dev.sequor.io;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor's plain data as stored in a safetensors file: a shape and its float32 elements
 * in row-major order. Immutable: the factory and the accessors copy, so a caller can never change
 * a loaded tensor behind the reader's back.
 */
public final class TensorData {
    private final int[] shape;
    private final float[] data;

    private TensorData(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    /**
     * Creates a tensor from copies of a shape and its elements.
     *
     * @param shape the dimensions, each {@code >= 0}; an empty shape is a scalar with one element
     * @param data  the elements in row-major order; its length must be the product of {@code shape}
     * @return a tensor holding copies of both arrays
     * @throws IllegalArgumentException on a negative dimension or a length that does not match
     */
    public static TensorData of(int[] shape, float[] data) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long n = elementCount(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but data has " + data.length);
        }
        return new TensorData(shape.clone(), data.clone());
    }

    /** Wraps arrays the reader has just made and owns, without copying them again. */
    static TensorData wrap(int[] shape, float[] data) {
        return new TensorData(shape, data);
    }

    /**
     * Counts the elements of a shape.
     *
     * @param shape dimensions
     * @return the product of the dimensions
     * @throws IllegalArgumentException on a negative dimension or a product above {@code Long.MAX_VALUE}
     */
    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** {@return a copy of the shape} */
    public int[] shape() {
        return shape.clone();
    }

    /** {@return the number of dimensions} */
    public int rank() {
        return shape.length;
    }

    /**
     * Gives the size of one dimension.
     *
     * @param axis a dimension index in {@code [0, rank())}
     * @return the size of that dimension
     */
    public int dim(int axis) {
        return shape[axis];
    }

    /** {@return the number of elements} */
    public int size() {
        return data.length;
    }

    /**
     * Gives one element.
     *
     * @param index a row-major element index in {@code [0, size())}
     * @return that element
     */
    public float get(int index) {
        return data[index];
    }

    /**
     * Copies all elements, in row-major order, into {@code dst} starting at {@code dstOffset}: the one
     * copy needed to move a loaded tensor into other storage.
     *
     * @param dst       the destination, with room for {@link #size()} elements from {@code dstOffset}
     * @param dstOffset where the first element goes
     */
    public void copyTo(float[] dst, int dstOffset) {
        System.arraycopy(data, 0, dst, dstOffset, data.length);
    }

    /** {@return a read-only view of the elements in row-major order, without copying them} */
    public FloatBuffer asReadOnlyBuffer() {
        return FloatBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** {@return a copy of the elements in row-major order} */
    public float[] data() {
        return data.clone();
    }

    /** Equal when shapes are equal and elements are equal as {@link Float#equals} compares them (so NaN equals NaN). */
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "TensorData" + Arrays.toString(shape);
    }
}
