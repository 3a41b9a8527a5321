package dev.sequor.io;

import java.nio.ByteBuffer;

/** Conversions between the stored dtypes and float32, kept apart so each is easy to check. */
final class Float32 {
    private Float32() {
    }

    /**
     * Decodes {@code n} elements of {@code dtype} from {@code in} (little-endian, positioned at the first
     * element) into {@code out[offset .. offset + n)}.
     */
    static void decode(DType dtype, ByteBuffer in, float[] out, int offset, int n) {
        switch (dtype) {
            case F32 -> in.asFloatBuffer().get(out, offset, n);
            // Every half is exactly a float: JDK 20+ does the subnormal, infinity and NaN cases for us.
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = Float.float16ToFloat(in.getShort());
                }
            }
            // bfloat16 is the top 16 bits of a float32, so widening is a shift and exact.
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = Float.intBitsToFloat((in.getShort() & 0xFFFF) << 16);
                }
            }
            // The cast rounds to nearest even; values beyond float range become infinities, as in PyTorch.
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = (float) in.getDouble();
                }
            }
            default -> throw new IllegalArgumentException("cannot convert " + dtype + " to float32");
        }
    }
}
