package dev.sequor.io;

import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor's plain data as stored in a safetensors file: a shape and its float32 elements
 * in row-major order, or for an integer tensor ({@link DType#I64}, made by {@link #ofInt64}) its exact
 * 64-bit values with their float32 roundings as the elements. Immutable: the factories and the accessors
 * copy, so a caller can never change a loaded tensor behind the reader's back.
 */
public final class TensorData {
    private final int[] shape;
    private final float[] data;
    /** The exact values of an I64 tensor, or null for a float32 one. */
    private final long[] longs;

    private TensorData(int[] shape, float[] data, long[] longs) {
        this.shape = shape;
        this.data = data;
        this.longs = longs;
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
        return new TensorData(shape.clone(), data.clone(), null);
    }

    /**
     * Creates a 64-bit integer tensor ({@link DType#I64}, PyTorch's {@code torch.long}), saved as I64; its
     * float elements ({@link #get}, {@link #data}) are the values rounded to the nearest float32.
     *
     * @param shape  the dimensions, each {@code >= 0}
     * @param values the elements in row-major order; its length must be the product of {@code shape}
     * @return a tensor holding copies of both arrays
     * @throws IllegalArgumentException on a negative dimension or a length that does not match
     */
    public static TensorData ofInt64(int[] shape, long[] values) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        long n = elementCount(shape);
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but values has " + values.length);
        }
        return wrapInt64(shape.clone(), values.clone());
    }

    /** Wraps arrays the reader has just made and owns, without copying them again. */
    static TensorData wrap(int[] shape, float[] data) {
        return new TensorData(shape, data, null);
    }

    /** Wraps I64 values the reader has just made and owns. */
    static TensorData wrapInt64(int[] shape, long[] values) {
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = (float) values[i];
        }
        return new TensorData(shape, rounded, values);
    }

    /**
     * Uploads this tensor's float elements to a backend with the same shape, a rank-0 shape included (so a
     * PyTorch scalar such as {@code num_batches_tracked} loads as the rank-0 buffer it is, not as {@code [1]}).
     *
     * @param backend the backend to hold the new tensor
     * @return a new tensor of shape {@link #shape()} holding {@link #data()}
     */
    public Tensor toTensor(Backend backend) {
        Objects.requireNonNull(backend, "backend");
        return shape.length == 0 ? Tensor.scalar(backend, data[0]) : Tensor.of(backend, data, shape);
    }

    /** {@return the element type this tensor is saved as: {@link DType#F32}, or {@link DType#I64}} */
    public DType dtype() {
        return longs == null ? DType.F32 : DType.I64;
    }

    /**
     * {@return a copy of the exact values of an {@link DType#I64} tensor}
     *
     * @throws IllegalStateException for a float32 tensor
     */
    public long[] longs() {
        if (longs == null) {
            throw new IllegalStateException("TensorData" + Arrays.toString(shape) + " is F32, not I64");
        }
        return longs.clone();
    }

    /** The exact value of element {@code index} of an I64 tensor (no copy); only for the writer. */
    long longAt(int index) {
        return longs[index];
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

    /**
     * Equal when dtypes and shapes are equal and elements are equal (floats as {@link Float#equals} compares
     * them, so NaN equals NaN; I64 values exactly).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data)
                && Arrays.equals(longs, t.longs);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(data)) + Arrays.hashCode(longs);
    }

    @Override
    public String toString() {
        return "TensorData" + (longs == null ? "" : "(I64)") + Arrays.toString(shape);
    }
}
