package dev.sequor.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Float arrays as strings, because {@code BarrierTaskContext.allGather} carries strings: the
 * little-endian float32 bytes in Base64 (4/3 bytes per byte, ASCII, so Java's serialization keeps one
 * byte per character).
 */
final class FloatCodec {
    private FloatCodec() {
    }

    static String encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }

    static float[] decode(String s) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / Float.BYTES];
        b.asFloatBuffer().get(v);
        return v;
    }

    /** Adds each encoded array to {@code sum} in the given (rank) order, so every worker adds alike. */
    static float[] sum(String[] encoded) {
        float[] sum = decode(encoded[0]);
        for (int r = 1; r < encoded.length; r++) {
            float[] v = decode(encoded[r]);
            if (v.length != sum.length) {
                throw new IllegalStateException("all-reduce: worker " + r + " sent " + v.length + " values, worker 0 "
                        + sum.length + ": the replicas are not the same model");
            }
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        }
        return sum;
    }
}
