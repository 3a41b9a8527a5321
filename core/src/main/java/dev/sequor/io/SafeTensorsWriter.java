package dev.sequor.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes float32 tensors as safetensors, atomically: the bytes go to a temporary file in the target's
 * directory, are forced to disk, and the temporary file is then renamed over the target. A reader
 * therefore sees the old file or the new one, never a mix, and a failure leaves the old file as it was
 * and removes the temporary file.
 *
 * <p>A save killed mid-write (no {@code finally} runs) leaves its temporary file
 * {@code .<name>.<hex>.tmp} behind; the next save of the same target removes every such file that no
 * live writer holds (each writer keeps an exclusive lock on its temporary file while it writes).
 */
final class SafeTensorsWriter {
    private static final int CHUNK_FLOATS = 1 << 18;

    private SafeTensorsWriter() {
    }

    /**
     * The header JSON, padded with spaces to a multiple of 8 bytes as the reference implementation
     * does, so that the data section starts 8-byte aligned. {@code __metadata__} comes first (when not
     * empty), then the tensors in the map's order, which is also their order in the data section.
     */
    static byte[] header(Map<String, TensorData> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put(SafeTensorsReader.METADATA_KEY, new LinkedHashMap<String, Object>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            TensorData t = e.getValue();
            List<Object> shape = new ArrayList<>();
            for (int d : t.shape()) {
                shape.add((long) d);
            }
            long end = offset + (long) t.dtype().byteSize() * t.size();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype().name());
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, end));
            header.put(e.getKey(), info);
            offset = end;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    static void validate(Map<String, TensorData> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("tensor names must be non-empty, got " + Json.quote(String.valueOf(name)));
            }
            if (name.equals(SafeTensorsReader.METADATA_KEY)) {
                throw new IllegalArgumentException(Json.quote(name) + " is reserved for metadata, not a tensor name");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("tensor " + Json.quote(name) + " is null");
            }
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("metadata keys and values must be non-null: " + e);
            }
        }
    }

    static void write(Path target, Map<String, TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        validate(tensors, metadata);
        byte[] header = header(tensors, metadata);
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        // A name no other writer picks, so two concurrent saves never share a temporary file.
        Path tmp = dir.resolve("." + absolute.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        removeStaleTemporaries(dir, absolute.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.lock(); // marks the file as in use to removeStaleTemporaries; released when the channel closes
                writeAll(ch, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
                writeAll(ch, ByteBuffer.wrap(header));
                ByteBuffer buf = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
                for (TensorData t : tensors.values()) {
                    boolean int64 = t.dtype() == DType.I64;
                    int perChunk = int64 ? CHUNK_FLOATS / 2 : CHUNK_FLOATS;
                    for (int i = 0; i < t.size(); ) {
                        buf.clear();
                        int n = Math.min(perChunk, t.size() - i);
                        for (int k = 0; k < n; k++) {
                            if (int64) {
                                buf.putLong(t.longAt(i + k));
                            } else {
                                buf.putFloat(t.get(i + k));
                            }
                        }
                        writeAll(ch, buf.flip());
                        i += n;
                    }
                }
                ch.force(true);
            }
            moveIntoPlace(tmp, absolute);
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Deletes the temporary files {@code .<name>.<hex>.tmp} of earlier saves of {@code name} in
     * {@code dir} that were killed before they could clean up. A file some writer still holds locked (a
     * concurrent save, in this process or another) is left alone. Best effort: a file that cannot be
     * opened or deleted is skipped, and never fails the save.
     */
    static void removeStaleTemporaries(Path dir, String name) {
        Pattern ours = Pattern.compile("\\." + Pattern.quote(name) + "\\.[0-9a-f]{1,16}\\.tmp");
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "." + globQuote(name) + ".*.tmp")) {
            for (Path p : entries) {
                if (ours.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    candidates.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            return; // an unreadable directory: the save itself reports what is wrong
        }
        for (Path p : candidates) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE);
                 FileLock lock = ch.tryLock()) {
                if (lock != null) {
                    Files.deleteIfExists(p);
                }
            } catch (OverlappingFileLockException | IOException e) {
                // held by a save in progress, or not ours to remove
            }
        }
    }

    /** @return {@code s} with the glob metacharacters escaped */
    private static String globQuote(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot save " + target + " atomically: the file system does not support "
                    + "an atomic rename in " + target.getParent(), e);
        }
    }

    /** Makes the rename itself durable; some platforms cannot open a directory, and then this is skipped. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not fatal: the file's own contents are already on disk; only the rename may be lost on power failure.
        }
    }

    private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
