package dev.sequor.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensors near and past the 2 GiB / 2^31-element limits, and the chunked data loop. */
class SafeTensorsLargeTest {
    @TempDir
    Path dir;

    /** Writes the header and sets the length: the data section is a sparse hole, no real writes. */
    private Path sparse(String header, long dataBytes) throws Exception {
        Path p = dir.resolve("big.safetensors");
        byte[] head = Craft.file(header, new byte[0]);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(head);
            f.setLength(head.length + dataBytes);
        }
        return p;
    }

    @Test
    void moreThanTwoToThe31ElementsIsCleanlyTooLarge() throws Exception {
        long bytes = 2L * 65536 * 32768; // F16 [65536, 32768] = 2^31 elements = 2^32 bytes
        Path p = sparse("{\"w\":{\"dtype\":\"F16\",\"shape\":[65536,32768],\"data_offsets\":[0," + bytes + "]}}",
                bytes);
        assertThatThrownBy(() -> SafeTensors.read(p))
                .isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining(p.toString())
                .hasMessageContaining("w")
                .hasMessageContaining("too large")
                .hasMessageContaining("[65536, 32768]")
                .hasMessageContaining("2147483648")
                .hasMessageContaining(Long.toString(Integer.MAX_VALUE - 8));
    }

    private static SafeTensorsFile readChunked(byte[] content, int chunkBytes) throws Exception {
        Path p = Files.createTempFile("chunk", ".safetensors");
        try {
            Files.write(p, content);
            try (SeekableByteChannel ch = Files.newByteChannel(p)) {
                return SafeTensorsReader.read(p.toString(), ch, chunkBytes);
            }
        } finally {
            Files.delete(p);
        }
    }

    @Test
    void chunkLoopAssemblesValuesAcrossChunkBoundaries() throws Exception {
        // F32: 10 values, chunks of 3 (12 bytes) leave a remainder of 1; F16: 7 values, chunks of 4 (9 bytes).
        ByteBuffer h = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        float[] halfValues = {0f, 1f, -2f, 0.5f, 1024f, -0.25f, 3f};
        for (float v : halfValues) {
            h.putShort(Float.floatToFloat16(v));
        }
        byte[] data = new byte[40 + 14];
        System.arraycopy(Craft.floats(10), 0, data, 0, 40);
        System.arraycopy(h.array(), 0, data, 40, 14);
        byte[] file = Craft.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,5],\"data_offsets\":[0,40]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[7],\"data_offsets\":[40,54]}}", data);
        for (int chunk : new int[] {9, 12, 13, 1 << 20}) {
            SafeTensorsFile f = readChunked(file, chunk);
            assertThat(f.get("a").data()).as("chunk %d", chunk)
                    .containsExactly(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f);
            assertThat(f.get("b").data()).as("chunk %d", chunk).containsExactly(halfValues);
        }
    }
}
