package dev.sequor.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * the file PyTorch and Hugging Face use for state dicts.
 *
 * <p>Reading accepts F32, and F16, BF16 and F64 converted to float32 (F16 and BF16 exactly, F64 rounded
 * to nearest), and I64 kept exactly ({@link TensorData#longs()}); any other dtype is rejected naming it and
 * the tensor. The whole header is validated
 * before any tensor is returned: a file whose header, offsets or size disagree in any way is a
 * {@link SafeTensorsException} that names the file, the tensor and the fault.
 *
 * <p>Writing stores each tensor in its {@link TensorData#dtype()} (F32, or I64 for integer tensors such as
 * BatchNorm's {@code num_batches_tracked}, as PyTorch saves it) in the map's iteration order (use a {@code LinkedHashMap} or a
 * {@code SequencedMap} to choose it): the header lists {@code __metadata__} first, then the tensors in
 * that order, and the data section holds them in the same order, back to back. The header is padded
 * with spaces to a multiple of 8 bytes. Saving is atomic (see {@link #write(Path, Map, Map)}).
 *
 * <p>Thread-safe: all methods are stateless.
 */
public final class SafeTensors {
    private SafeTensors() {
    }

    /**
     * Reads and fully validates a safetensors file.
     *
     * @param file the file to read
     * @return every tensor and the metadata
     * @throws SafeTensorsException if the file is not a valid safetensors file Sequor can load
     * @throws IOException          if the file cannot be read
     */
    public static SafeTensorsFile read(Path file) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            return SafeTensorsReader.read(file.toString(), ch);
        }
    }

    /**
     * Reads and fully validates safetensors content already in memory (from a class-path resource, say).
     *
     * @param content the whole file
     * @param source  a name for the content in error messages
     * @return every tensor and the metadata
     * @throws SafeTensorsException if the content is not a valid safetensors file Sequor can load
     */
    public static SafeTensorsFile read(byte[] content, String source) throws SafeTensorsException {
        try {
            return SafeTensorsReader.read(source, new ByteChannel(ByteBuffer.wrap(content)));
        } catch (SafeTensorsException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError("reading memory cannot fail", e);
        }
    }

    /**
     * Saves tensors as float32 with no metadata. See {@link #write(Path, Map, Map)}.
     *
     * @param file    the file to create or replace
     * @param tensors the tensors by name, written in iteration order
     * @throws IOException if the file cannot be written; the old file, if any, is then unchanged
     */
    public static void write(Path file, Map<String, TensorData> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Saves tensors as float32 with a {@code __metadata__} map, atomically: the content is written to a
     * temporary file in the same directory, forced to disk, and renamed over {@code file}. If anything
     * fails, {@code file} keeps its old content (or stays absent) and the temporary file is removed.
     *
     * @param file     the file to create or replace
     * @param tensors  the tensors by name, written in iteration order; names must be non-empty and not
     *                 {@code "__metadata__"}
     * @param metadata string pairs stored under {@code __metadata__}, omitted from the header when empty
     * @throws IllegalArgumentException on a bad name or a null value, before anything touches the disk
     * @throws IOException              if the file cannot be written; the old file is then unchanged
     */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        SafeTensorsWriter.write(file, tensors, metadata);
    }

    /** A read-only channel over a byte array, so memory and files share one parser. */
    private static final class ByteChannel implements SeekableByteChannel {
        private final ByteBuffer content;

        ByteChannel(ByteBuffer content) {
            this.content = content;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (!content.hasRemaining()) {
                return -1;
            }
            int n = Math.min(dst.remaining(), content.remaining());
            dst.put(dst.position(), content, content.position(), n).position(dst.position() + n);
            content.position(content.position() + n);
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public long position() {
            return content.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            content.position((int) Math.min(newPosition, content.limit()));
            return this;
        }

        @Override
        public long size() {
            return content.limit();
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
