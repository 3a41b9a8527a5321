package dev.sequor.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged copies of a small valid file: the reader must answer each with a {@link SafeTensorsException}
 * or, when the damage happens to leave a valid file, with a fully consistent result; never another
 * exception and never a partial load.
 */
class SafeTensorsFuzzTest {
    @TempDir
    Path dir;

    private byte[] validFile() throws Exception {
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("w", TensorData.of(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        t.put("b", TensorData.of(new int[] {3}, new float[] {7, 8, 9}));
        t.put("s", TensorData.of(new int[0], new float[] {10}));
        Path file = dir.resolve("valid.safetensors");
        SafeTensors.write(file, t, Map.of("config", "{\"a\":1}"));
        return Files.readAllBytes(file);
    }

    @Test
    void everyTruncationIsRejected() throws Exception {
        byte[] full = validFile();
        assertThat(SafeTensors.read(full, "full").names()).containsExactly("w", "b", "s");
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            try {
                SafeTensors.read(cut, "cut" + len);
                throw new AssertionError("accepted a file truncated to " + len + " of " + full.length + " bytes");
            } catch (SafeTensorsException e) {
                assertThat(e.file()).isEqualTo("cut" + len);
            }
        }
    }

    @Test
    void extraTrailingBytesAreRejected() throws Exception {
        byte[] full = validFile();
        byte[] longer = Arrays.copyOf(full, full.length + 1);
        try {
            SafeTensors.read(longer, "longer");
            throw new AssertionError("accepted trailing garbage");
        } catch (SafeTensorsException e) {
            assertThat(e.fault()).contains("cover only");
        }
    }

    @Test
    void randomHeaderByteFlipsAreRejectedOrConsistent() throws Exception {
        byte[] full = validFile();
        int headerEnd = 8 + (int) ByteBuffer.wrap(full).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Random r = new Random(20261121);
        int rejected = 0;
        for (int trial = 0; trial < 5000; trial++) {
            byte[] bad = full.clone();
            int flips = 1 + r.nextInt(3);
            for (int k = 0; k < flips; k++) {
                int pos = r.nextInt(headerEnd);
                bad[pos] ^= (byte) (1 << r.nextInt(8));
            }
            try {
                SafeTensorsFile f = SafeTensors.read(bad, "flip" + trial);
                assertConsistent(f, full.length - headerEnd);
            } catch (SafeTensorsException e) {
                assertThat(e.getMessage()).startsWith("flip" + trial + ": ");
                rejected++;
            }
        }
        // Most flips break the JSON or the layout; a few only rename a key or change a padding space.
        assertThat(rejected).isGreaterThan(4000);
    }

    @Test
    void randomBytesAreRejected() {
        Random r = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] junk = new byte[r.nextInt(64)];
            r.nextBytes(junk);
            if (junk.length >= 8 && r.nextBoolean()) {
                // A plausible length, so the parser reaches the JSON stage.
                ByteBuffer.wrap(junk).order(ByteOrder.LITTLE_ENDIAN).putLong(0, r.nextInt(junk.length - 7));
            }
            try {
                SafeTensors.read(junk, "junk");
                assertThat(junk.length).as("only an empty object with no data can pass").isGreaterThanOrEqualTo(10);
            } catch (SafeTensorsException e) {
                assertThat(e.file()).isEqualTo("junk");
            }
        }
    }

    /** An accepted file must tile its data section exactly with well-formed float32 tensors. */
    private static void assertConsistent(SafeTensorsFile f, long dataBytes) {
        long total = 0;
        for (String name : f.names()) {
            TensorData t = f.get(name);
            assertThat(TensorData.elementCount(t.shape())).isEqualTo(t.size());
            total += (long) t.size() * f.storedDtype(name).byteSize();
        }
        assertThat(total).isEqualTo(dataBytes);
    }
}
