package dev.sequor.spi;

import java.util.Objects;

/**
 * A batch of row-major matrices inside a {@link Buffer}, for {@link Backend#gemm}. Matrix
 * {@code b} of the batch starts at {@code offset + b * batchStride}; its element (r, c) is at
 * {@code + r * ld + c}. A {@code batchStride} of 0 repeats one matrix across the batch (a shared
 * weight). {@code ld} may exceed the row length, so a time step {@code x[:, t, :]} of a
 * {@code (B, T, F)} tensor is the view {@code (buf, t * F, T * F, 0)} with {@code B} rows.
 *
 * @param buffer      the storage
 * @param offset      first element, in floats
 * @param ld          leading dimension: the distance between rows, in floats
 * @param batchStride distance between consecutive matrices of the batch, in floats
 */
public record MatrixView(Buffer buffer, long offset, int ld, long batchStride) {

    public MatrixView {
        Objects.requireNonNull(buffer, "buffer");
        if (offset < 0 || ld < 0 || batchStride < 0) {
            throw new IllegalArgumentException("negative offset/ld/batchStride: " + offset + "/" + ld + "/" + batchStride);
        }
    }

    /** @return a single dense matrix with {@code cols} columns at offset 0 */
    public static MatrixView of(Buffer buffer, int cols) {
        return new MatrixView(buffer, 0, cols, 0);
    }

    /** @return dense matrices of {@code rows x cols}, packed one after the other from offset 0 */
    public static MatrixView batched(Buffer buffer, int rows, int cols) {
        return new MatrixView(buffer, 0, cols, (long) rows * cols);
    }
}
