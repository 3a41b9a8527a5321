package dev.sequor.io;

/**
 * The element types a safetensors header may name, with their size in bytes. Sequor loads
 * {@link #F32} as is and converts {@link #F16}, {@link #BF16} (both exactly) and {@link #F64}
 * (rounded to nearest) to float32; it keeps {@link #I64} exactly (PyTorch's {@code torch.long}, the type of
 * BatchNorm's {@code num_batches_tracked}), with a float32 view for float consumers. It recognizes the
 * other types only to reject them by name.
 */
public enum DType {
    /** Boolean, one byte. Not loadable. */
    BOOL(1, false),
    /** Unsigned 8-bit integer. Not loadable. */
    U8(1, false),
    /** Signed 8-bit integer. Not loadable. */
    I8(1, false),
    /** 8-bit float, 5 exponent bits. Not loadable. */
    F8_E5M2(1, false),
    /** 8-bit float, 4 exponent bits. Not loadable. */
    F8_E4M3(1, false),
    /** Signed 16-bit integer. Not loadable. */
    I16(2, false),
    /** Unsigned 16-bit integer. Not loadable. */
    U16(2, false),
    /** IEEE 754 half precision; converted to float32 exactly. */
    F16(2, true),
    /** bfloat16 (the top half of a float32); converted to float32 exactly. */
    BF16(2, true),
    /** Signed 32-bit integer. Not loadable. */
    I32(4, false),
    /** Unsigned 32-bit integer. Not loadable. */
    U32(4, false),
    /** IEEE 754 single precision, Sequor's own type. */
    F32(4, true),
    /** IEEE 754 double precision; rounded to the nearest float32. */
    F64(8, true),
    /** Signed 64-bit integer; kept exactly ({@link TensorData#longs()}), read as float32 rounded to nearest. */
    I64(8, true),
    /** Unsigned 64-bit integer. Not loadable. */
    U64(8, false);

    private final int byteSize;
    private final boolean loadable;

    DType(int byteSize, boolean loadable) {
        this.byteSize = byteSize;
        this.loadable = loadable;
    }

    /** {@return bytes per element} */
    public int byteSize() {
        return byteSize;
    }

    /** {@return whether Sequor reads this type (as float32, and for {@link #I64} also exactly)} */
    public boolean isLoadable() {
        return loadable;
    }

    /**
     * Looks up a dtype by its header name.
     *
     * @param name a dtype as written in a safetensors header, e.g. {@code "BF16"}
     * @return the type, or {@code null} if the name is not a safetensors dtype
     */
    public static DType fromName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
