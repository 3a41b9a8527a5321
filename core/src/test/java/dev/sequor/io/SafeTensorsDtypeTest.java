package dev.sequor.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** F16, BF16 and F64 conversion, checked against formulas written out independently of the reader. */
class SafeTensorsDtypeTest {
    /** IEEE half to double by its definition, with no bit tricks shared with the code under test. */
    private static double halfByDefinition(int bits) {
        int sign = (bits >> 15) & 1;
        int exp = (bits >> 10) & 0x1F;
        int frac = bits & 0x3FF;
        double magnitude;
        if (exp == 0) {
            magnitude = frac * Math.pow(2, -24);
        } else if (exp == 31) {
            magnitude = frac == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            magnitude = (1 + frac / 1024.0) * Math.pow(2, exp - 15);
        }
        return sign == 1 ? -magnitude : magnitude;
    }

    private static SafeTensorsFile readOne(String dtype, int count, ByteBuffer data) throws SafeTensorsException {
        String header = "{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + count + "],\"data_offsets\":[0,"
                + data.capacity() + "]}}";
        return SafeTensors.read(Craft.file(header, data.array()), dtype);
    }

    @Test
    void everyHalfConvertsExactly() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2 * 65536).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 65536; i++) {
            b.putShort((short) i);
        }
        SafeTensorsFile f = readOne("F16", 65536, b);
        assertThat(f.storedDtype("t")).isEqualTo(DType.F16);
        TensorData t = f.get("t");
        for (int i = 0; i < 65536; i++) {
            double want = halfByDefinition(i);
            float got = t.get(i);
            if (Double.isNaN(want)) {
                assertThat(Float.isNaN(got)).as("bits %04x", i).isTrue();
            } else {
                assertThat((double) got).as("bits %04x", i).isEqualTo(want);
                assertThat(Math.copySign(1.0, got)).isEqualTo(Math.copySign(1.0, want));
            }
        }
    }

    @Test
    void everyBfloat16ConvertsExactly() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2 * 65536).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 65536; i++) {
            b.putShort((short) i);
        }
        TensorData t = readOne("BF16", 65536, b).get("t");
        for (int i = 0; i < 65536; i++) {
            // bfloat16 is a float32 with the low 16 mantissa bits zero.
            assertThat(Float.floatToRawIntBits(t.get(i))).as("bits %04x", i).isEqualTo(i << 16);
        }
    }

    @Test
    void doublesRoundToNearestEven() throws Exception {
        double[] in = {1.0 + Math.pow(2, -24), 1.0 + 3 * Math.pow(2, -24), 1.0 + Math.pow(2, -30), 1e300, -1e300,
            1e-50, -0.0, Double.NaN, Math.PI, 0.1};
        float[] want = {1.0f, 1.0f + 2 * (float) Math.pow(2, -23), 1.0f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 0f, -0f, Float.NaN, 3.1415927f, 0.1f};
        ByteBuffer b = ByteBuffer.allocate(8 * in.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : in) {
            b.putDouble(d);
        }
        TensorData t = readOne("F64", in.length, b).get("t");
        for (int i = 0; i < in.length; i++) {
            assertThat(Float.floatToIntBits(t.get(i))).as("%s", in[i]).isEqualTo(Float.floatToIntBits(want[i]));
        }
    }
}
