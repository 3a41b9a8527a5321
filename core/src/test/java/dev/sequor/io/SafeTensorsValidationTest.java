package dev.sequor.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each validation fault crafted by hand: the reader must reject it naming the source, tensor and fault. */
class SafeTensorsValidationTest {
    private static final String SRC = "crafted.safetensors";

    private static SafeTensorsException reject(byte[] content) {
        try {
            SafeTensors.read(content, SRC);
        } catch (SafeTensorsException e) {
            assertThat(e.getMessage()).startsWith(SRC + ": ").contains(e.fault());
            assertThat(e.file()).isEqualTo(SRC);
            return e;
        }
        throw new AssertionError("accepted an invalid file");
    }

    private static SafeTensorsException reject(String header, byte[] data) {
        return reject(Craft.file(header, data));
    }

    private static String entry(String dtype, String shape, String offsets) {
        return "{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    @Test
    void validFileIsAccepted() throws Exception {
        SafeTensorsFile f = SafeTensors.read(Craft.file("{\"b\":" + entry("F32", "[2]", "[8,16]") + ",\"a\":"
                + entry("F32", "[2]", "[0,8]") + "}", Craft.floats(4)), SRC);
        assertThat(f.names()).containsExactly("a", "b");
        assertThat(f.get("a").data()).containsExactly(0f, 1f);
        assertThat(f.get("b").data()).containsExactly(2f, 3f);
    }

    @Test
    void fileShorterThanEightBytes() {
        for (int n = 0; n < 8; n++) {
            assertThat(reject(new byte[n]).fault()).contains("shorter than the 8-byte header length");
        }
    }

    @Test
    void headerLengthLargerThanFile() {
        SafeTensorsException e = reject(Craft.lengthOnly(20, 10));
        assertThat(e.fault()).contains("header length 20 is larger than the 10 bytes");
        assertThat(e.tensor()).isNull();
    }

    @Test
    void absurdHeaderLength() {
        assertThat(reject(Craft.lengthOnly(100_000_001L, 0)).fault()).contains("absurd");
        assertThat(reject(Craft.lengthOnly(-1L, 0)).fault()).contains("18446744073709551615").contains("absurd");
    }

    @Test
    void headerNotUtf8() {
        byte[] bad = Craft.file("{\"a\":1}", new byte[0]);
        bad[10] = (byte) 0xC3; // a lead byte followed by ASCII: malformed
        assertThat(reject(bad).fault()).isEqualTo("header is not valid UTF-8 at byte 10 of the file");
    }

    @Test
    void headerNotJsonOrNotObject() {
        assertThat(reject("{\"a\":", new byte[0]).fault()).startsWith("header is not valid JSON");
        assertThat(reject("", new byte[0]).fault()).startsWith("header is not valid JSON");
        assertThat(reject("{} x", new byte[0]).fault()).startsWith("header is not valid JSON");
        assertThat(reject("[1,2]", new byte[0]).fault()).isEqualTo("header is not a JSON object");
        assertThat(reject("\"hi\"", new byte[0]).fault()).isEqualTo("header is not a JSON object");
    }

    @Test
    void entryMissingFields() {
        SafeTensorsException e = reject("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", Craft.floats(1));
        assertThat(e.tensor()).isEqualTo("w");
        assertThat(e.fault()).isEqualTo("entry is missing \"dtype\"");
        assertThat(e.getMessage()).isEqualTo(SRC + ": tensor \"w\": entry is missing \"dtype\"");
        assertThat(reject("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", Craft.floats(1)).fault())
                .isEqualTo("entry is missing \"shape\"");
        assertThat(reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", Craft.floats(1)).fault())
                .isEqualTo("entry is missing \"data_offsets\"");
    }

    @Test
    void entryWithWrongTypes() {
        assertThat(reject("{\"w\":[1]}", new byte[0]).fault()).isEqualTo("entry is not a JSON object");
        assertThat(reject("{\"w\":" + entry("F32", "[1]", "[0,4]").replace("\"F32\"", "32") + "}", Craft.floats(1))
                .fault()).isEqualTo("dtype is not a string");
        assertThat(reject("{\"w\":" + entry("F32", "1", "[0,4]") + "}", Craft.floats(1)).fault())
                .isEqualTo("shape is not an array");
        assertThat(reject("{\"w\":" + entry("F32", "[1.0]", "[0,4]") + "}", Craft.floats(1)).fault())
                .contains("non-integer");
        assertThat(reject("{\"w\":" + entry("F32", "[\"1\"]", "[0,4]") + "}", Craft.floats(1)).fault())
                .contains("non-integer");
        assertThat(reject("{\"w\":" + entry("F32", "[1]", "{\"a\":0}") + "}", Craft.floats(1)).fault())
                .contains("not a [begin, end] array");
        assertThat(reject("{\"w\":" + entry("F32", "[1]", "[0,4.0]") + "}", Craft.floats(1)).fault())
                .contains("not a [begin, end] array");
        assertThat(reject("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}",
                Craft.floats(1)).fault()).contains("unexpected key \"extra\"");
        assertThat(reject("{\"w\":" + entry("F32", "[99999999999]", "[0,4]") + "}", Craft.floats(1)).fault())
                .contains("dimension above");
    }

    @Test
    void negativeDimension() {
        SafeTensorsException e = reject("{\"w\":" + entry("F32", "[2,-1]", "[0,4]") + "}", Craft.floats(1));
        assertThat(e.tensor()).isEqualTo("w");
        assertThat(e.fault()).isEqualTo("shape [2,-1] has a negative dimension");
    }

    @Test
    void offsetsNotBeginEnd() {
        assertThat(reject("{\"w\":" + entry("F32", "[1]", "[0]") + "}", Craft.floats(1)).fault())
                .contains("not a [begin, end] array");
        assertThat(reject("{\"w\":" + entry("F32", "[1]", "[0,4,8]") + "}", Craft.floats(1)).fault())
                .contains("not a [begin, end] array");
        assertThat(reject("{\"w\":" + entry("F32", "[0]", "[4,0]") + "}", Craft.floats(1)).fault())
                .contains("do not satisfy 0 <= begin <= end");
        assertThat(reject("{\"w\":" + entry("F32", "[1]", "[-4,0]") + "}", Craft.floats(1)).fault())
                .contains("do not satisfy 0 <= begin <= end");
    }

    @Test
    void offsetsOutsideDataSection() {
        SafeTensorsException e = reject("{\"w\":" + entry("F32", "[2]", "[0,8]") + "}", Craft.floats(1));
        assertThat(e.fault()).isEqualTo("data_offsets [0, 8] lie outside the data section of 4 bytes");
    }

    @Test
    void byteLengthNotShapeTimesDtypeSize() {
        SafeTensorsException e = reject("{\"w\":" + entry("F32", "[3]", "[0,8]") + "}", Craft.floats(2));
        assertThat(e.fault()).isEqualTo("data_offsets [0, 8] span 8 bytes but F32 shape [3] needs 12");
        assertThat(reject("{\"w\":" + entry("F16", "[3]", "[0,8]") + "}", Craft.floats(2)).fault())
                .isEqualTo("data_offsets [0, 8] span 8 bytes but F16 shape [3] needs 6");
    }

    @Test
    void overlappingTensors() {
        SafeTensorsException e = reject("{\"a\":" + entry("F32", "[2]", "[0,8]") + ",\"b\":"
                + entry("F32", "[2]", "[4,12]") + "}", Craft.floats(3));
        assertThat(e.tensor()).isEqualTo("b");
        assertThat(e.fault()).contains("overlap tensor \"a\" [0, 8]");
        // Two tensors on the very same bytes are an overlap too.
        assertThat(reject("{\"a\":" + entry("F32", "[1]", "[0,4]") + ",\"b\":" + entry("F32", "[1]", "[0,4]") + "}",
                Craft.floats(1)).fault()).contains("overlap");
    }

    @Test
    void gapsAndUncoveredData() {
        SafeTensorsException gap = reject("{\"a\":" + entry("F32", "[1]", "[0,4]") + ",\"b\":"
                + entry("F32", "[1]", "[8,12]") + "}", Craft.floats(3));
        assertThat(gap.tensor()).isEqualTo("b");
        assertThat(gap.fault()).contains("gap: data section bytes [4, 8)");
        assertThat(reject("{\"a\":" + entry("F32", "[1]", "[4,8]") + "}", Craft.floats(2)).fault())
                .contains("gap: data section bytes [0, 4)");
        SafeTensorsException tail = reject("{\"a\":" + entry("F32", "[1]", "[0,4]") + "}", Craft.floats(2));
        assertThat(tail.tensor()).isNull();
        assertThat(tail.fault()).isEqualTo("data section is 8 bytes but its tensors cover only the first 4");
        assertThat(reject("{}", Craft.floats(1)).fault()).contains("cover only the first 0");
    }

    @Test
    void duplicateNames() {
        SafeTensorsException e = reject("{\"a\":" + entry("F32", "[1]", "[0,4]") + ",\"a\":"
                + entry("F32", "[1]", "[4,8]") + "}", Craft.floats(2));
        assertThat(e.tensor()).isEqualTo("a");
        assertThat(e.fault()).isEqualTo("duplicate tensor name in the header");
        SafeTensorsException meta = reject("{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0]);
        assertThat(meta.tensor()).isNull();
        assertThat(meta.fault()).isEqualTo("duplicate __metadata__ in the header");
    }

    @Test
    void aDuplicateKeyInsideAnEntryNamesTheKeyAndItsTensorNotADuplicateName() {
        SafeTensorsException e = reject("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],"
                + "\"data_offsets\":[0,4]}}", Craft.floats(1));
        assertThat(e.tensor()).isEqualTo("w");
        assertThat(e.fault()).isEqualTo("duplicate key \"dtype\" in the tensor's header entry");
        SafeTensorsException meta = reject("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", new byte[0]);
        assertThat(meta.tensor()).isNull();
        assertThat(meta.fault()).isEqualTo("duplicate key \"k\" in __metadata__");
    }

    @Test
    void metadataMustBeStringMap() {
        assertThat(reject("{\"__metadata__\":{\"k\":1}}", new byte[0]).fault())
                .isEqualTo("__metadata__ value of key \"k\" is not a string");
        assertThat(reject("{\"__metadata__\":{\"k\":null}}", new byte[0]).fault()).contains("not a string");
        assertThat(reject("{\"__metadata__\":[\"k\"]}", new byte[0]).fault()).isEqualTo("__metadata__ is not a JSON object");
    }

    @Test
    void unsupportedAndUnknownDtypesNamed() {
        SafeTensorsException e = reject("{\"ids\":" + entry("I32", "[2]", "[0,8]") + "}", Craft.floats(2));
        assertThat(e.tensor()).isEqualTo("ids");
        assertThat(e.getMessage()).contains("tensor \"ids\"").contains("unsupported dtype I32")
                .contains("F32, F16, BF16, F64 and I64");
        assertThat(reject("{\"m\":" + entry("BOOL", "[4]", "[0,4]") + "}", Craft.floats(1)).fault())
                .contains("unsupported dtype BOOL");
        assertThat(reject("{\"q\":" + entry("Q4_K", "[4]", "[0,4]") + "}", Craft.floats(1)).fault())
                .isEqualTo("unknown dtype \"Q4_K\"");
    }

    @Test
    void elementCountOverflow() {
        SafeTensorsException e = reject("{\"w\":" + entry("F32", "[2147483647,2147483647,4]", "[0,4]") + "}",
                Craft.floats(1));
        assertThat(e.fault()).contains("more elements than a long counts");
        assertThat(reject("{\"w\":" + entry("F32", "[2147483647,2147483647]", "[0,4]") + "}", Craft.floats(1))
                .fault()).contains("needs more than 2^63");
    }

    @Test
    void emptyHeaderAndEmptyDataAreValid() throws Exception {
        SafeTensorsFile f = SafeTensors.read(Craft.file("{}      ", new byte[0]), SRC);
        assertThat(f.names()).isEmpty();
        assertThat(f.metadata()).isEmpty();
        assertThat(new String(Craft.file("{}", new byte[0]), 8, 2, StandardCharsets.UTF_8)).isEqualTo("{}");
    }
}
