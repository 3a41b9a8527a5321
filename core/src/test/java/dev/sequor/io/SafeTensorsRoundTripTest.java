package dev.sequor.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafeTensorsRoundTripTest {
    @TempDir
    Path dir;

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static Map<String, TensorData> sample() {
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("weight_ih_l0", TensorData.of(new int[] {8, 3}, random(24, 1)));
        t.put("bias", TensorData.of(new int[] {8}, random(8, 2)));
        t.put("scalar", TensorData.of(new int[0], new float[] {42f}));
        t.put("empty", TensorData.of(new int[] {0, 5}, new float[0]));
        t.put("specials", TensorData.of(new int[] {6}, new float[] {-0f, Float.NaN, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE}));
        t.put("ünï/cødé.名前", TensorData.of(new int[] {1, 1, 2}, new float[] {1f, 2f}));
        return t;
    }

    @Test
    void roundTripKeepsOrderShapesBitsAndMetadata() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("config", Json.write(Map.of("hidden_size", 8)));
        meta.put("odd \"key\"\n", "välue\u0000");
        SafeTensors.write(file, sample(), meta);
        SafeTensorsFile back = SafeTensors.read(file);
        assertThat(back.names()).containsExactlyElementsOf(sample().keySet());
        for (var e : sample().entrySet()) {
            TensorData got = back.get(e.getKey());
            assertThat(got.shape()).isEqualTo(e.getValue().shape());
            float[] want = e.getValue().data();
            float[] have = got.data();
            for (int i = 0; i < want.length; i++) {
                assertThat(Float.floatToRawIntBits(have[i])).isEqualTo(Float.floatToRawIntBits(want[i]));
            }
            assertThat(back.storedDtype(e.getKey())).isEqualTo(DType.F32);
        }
        assertThat(back.metadata()).containsExactlyEntriesOf(meta);
        assertThat(back.source()).isEqualTo(file.toString());
    }

    @Test
    void layoutMatchesTheReferenceImplementation() throws IOException {
        Path file = dir.resolve("a.safetensors");
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("b", TensorData.of(new int[] {2}, new float[] {1f, 2f}));
        t.put("a", TensorData.of(new int[] {1}, new float[] {3f}));
        SafeTensors.write(file, t, Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).isZero();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        String json = "{\"__metadata__\":{\"k\":\"v\"},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        assertThat(header.stripTrailing()).isEqualTo(json);
        assertThat(header.substring(json.length())).matches(" {0,7}");
        assertThat(bytes.length).isEqualTo(8 + n + 12);
        ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) n, 12).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new float[] {data.getFloat(), data.getFloat(), data.getFloat()}).containsExactly(1f, 2f, 3f);
    }

    @Test
    void emptyFileRoundTrips() throws IOException {
        Path file = dir.resolve("empty.safetensors");
        SafeTensors.write(file, Map.of());
        assertThat(Files.size(file)).isEqualTo(16); // "{}" padded to 8 bytes
        assertThat(SafeTensors.read(file).names()).isEmpty();
    }

    @Test
    void overwriteReplacesAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, sample());
        Map<String, TensorData> small = Map.of("x", TensorData.of(new int[] {1}, new float[] {7f}));
        SafeTensors.write(file, small);
        assertThat(SafeTensors.read(file).names()).containsExactly("x");
        assertThat(listDir()).containsExactly("m.safetensors");
    }

    @Test
    void failedRenameLeavesTargetUntouchedAndRemovesTemporaryFile() throws IOException {
        // A non-empty directory cannot be replaced by a rename, so the final step of the save fails.
        Path target = dir.resolve("busy");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "old");
        assertThatThrownBy(() -> SafeTensors.write(target, sample())).isInstanceOf(IOException.class);
        assertThat(Files.readString(target.resolve("keep.txt"))).isEqualTo("old");
        assertThat(listDir()).containsExactly("busy");
    }

    @Test
    void badArgumentsTouchNothing() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, sample());
        byte[] before = Files.readAllBytes(file);
        Map<String, TensorData> bad = new LinkedHashMap<>(sample());
        bad.put("__metadata__", TensorData.of(new int[] {1}, new float[] {1f}));
        assertThatThrownBy(() -> SafeTensors.write(file, bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved");
        Map<String, TensorData> empty = new LinkedHashMap<>();
        empty.put("", TensorData.of(new int[] {1}, new float[] {1f}));
        assertThatThrownBy(() -> SafeTensors.write(file, empty)).isInstanceOf(IllegalArgumentException.class);
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> SafeTensors.write(file, sample(), nullValue))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(listDir()).containsExactly("m.safetensors");
    }

    @Test
    void missingDirectoryIsAnIoError() {
        assertThatThrownBy(() -> SafeTensors.write(dir.resolve("no/such/dir/m.safetensors"), sample()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void tensorDataChecksShapeAndCopies() {
        assertThatThrownBy(() -> TensorData.of(new int[] {2, 3}, new float[5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds 6 elements but data has 5");
        assertThatThrownBy(() -> TensorData.of(new int[] {-1}, new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        float[] data = {1f, 2f};
        int[] shape = {2};
        TensorData t = TensorData.of(shape, data);
        data[0] = 9f;
        shape[0] = 1;
        t.data()[1] = 9f;
        t.shape()[0] = 5;
        assertThat(t.data()).containsExactly(1f, 2f);
        assertThat(t.shape()).containsExactly(2);
        float[] dst = new float[4];
        t.copyTo(dst, 1);
        assertThat(dst).containsExactly(0f, 1f, 2f, 0f);
        assertThat(t.asReadOnlyBuffer().isReadOnly()).isTrue();
        assertThat(t.asReadOnlyBuffer().get(1)).isEqualTo(2f);
    }

    @Test
    void missingTensorNamesWhatExists() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, sample());
        SafeTensorsFile f = SafeTensors.read(file);
        assertThatThrownBy(() -> f.get("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no tensor \"nope\"").hasMessageContaining("weight_ih_l0");
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
