package dev.sequor.io;

import dev.sequor.text.Utf8;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates a whole safetensors file before returning anything: the caller gets either a
 * complete {@link SafeTensorsFile} or a {@link SafeTensorsException}, never a partial load.
 *
 * <p>Layout: an unsigned little-endian 64-bit header length N, N bytes of UTF-8 JSON, then the data
 * section. The JSON object maps each tensor name to {@code {"dtype", "shape", "data_offsets"}} (offsets
 * relative to the data section, end exclusive) and may hold {@code "__metadata__"}, a string map.
 */
final class SafeTensorsReader {
    /** The reference implementation's limit; a larger header is corruption, not a model. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";
    /** Bytes read per chunk when loading a tensor. */
    static final int CHUNK_BYTES = 1 << 20;
    // The largest float[] a JVM reliably allocates.
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final String source;
    private final SeekableByteChannel in;
    private final int chunkBytes;

    private SafeTensorsReader(String source, SeekableByteChannel in, int chunkBytes) {
        this.source = source;
        this.in = in;
        this.chunkBytes = chunkBytes;
    }

    static SafeTensorsFile read(String source, SeekableByteChannel in) throws IOException {
        return read(source, in, CHUNK_BYTES);
    }

    /** As {@link #read(String, SeekableByteChannel)}, reading tensor data {@code chunkBytes} (>= 8) at a time. */
    static SafeTensorsFile read(String source, SeekableByteChannel in, int chunkBytes) throws IOException {
        if (chunkBytes < 8) {
            throw new IllegalArgumentException("chunkBytes " + chunkBytes + " < 8");
        }
        return new SafeTensorsReader(source, in, chunkBytes).read();
    }

    /** One tensor's header entry after its own checks, before the layout checks across entries. */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {
    }

    private SafeTensorsFile read() throws IOException {
        long size = in.size();
        if (size < 8) {
            throw fault(null, "file is " + size + " bytes, shorter than the 8-byte header length");
        }
        long headerLength = readAt(0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw fault(null, "header length " + Long.toUnsignedString(headerLength) + " is absurd (limit "
                    + MAX_HEADER_BYTES + " bytes)");
        }
        if (headerLength > size - 8) {
            throw fault(null, "header length " + headerLength + " is larger than the " + (size - 8)
                    + " bytes that follow it");
        }
        Map<String, Object> header = parseHeader(readAt(8, (int) headerLength));
        long dataStart = 8 + headerLength;
        long dataSize = size - dataStart;

        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(e.getValue());
            } else {
                entries.add(parseEntry(e.getKey(), e.getValue(), dataSize));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        checkCoverage(entries, dataSize);

        LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
        Map<String, DType> dtypes = new LinkedHashMap<>();
        for (Entry entry : entries) {
            tensors.put(entry.name(), entry.dtype() == DType.I64
                    ? TensorData.wrapInt64(entry.shape(), loadLongs(entry, dataStart))
                    : TensorData.wrap(entry.shape(), load(entry, dataStart)));
            dtypes.put(entry.name(), entry.dtype());
        }
        return new SafeTensorsFile(source, tensors, dtypes, metadata);
    }

    private Map<String, Object> parseHeader(ByteBuffer bytes) throws SafeTensorsException {
        String text;
        try {
            text = Utf8.decode(bytes, 8);   // the header starts after its 8-byte length
        } catch (Utf8.MalformedException e) {
            throw fault(null, "header is not valid UTF-8 at byte " + e.offset() + " of the file", e);
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (JsonException e) {
            if (e.duplicateKey() != null && !e.duplicatePath().isEmpty()) {
                String entry = e.duplicatePath().get(0);
                if (METADATA_KEY.equals(entry)) {
                    throw fault(null, "duplicate key " + Json.quote(e.duplicateKey()) + " in " + METADATA_KEY, e);
                }
                throw fault(entry, "duplicate key " + Json.quote(e.duplicateKey()) + " in the tensor's header entry", e);
            }
            if (METADATA_KEY.equals(e.duplicateKey())) {
                throw fault(null, "duplicate " + METADATA_KEY + " in the header", e);
            }
            if (e.duplicateKey() != null) {
                throw fault(e.duplicateKey(), "duplicate tensor name in the header", e);
            }
            throw fault(null, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw fault(null, "header is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) map;
        return header;
    }

    private Map<String, String> parseMetadata(Object value) throws SafeTensorsException {
        if (!(value instanceof Map<?, ?> map)) {
            throw fault(null, METADATA_KEY + " is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw fault(null, METADATA_KEY + " value of key " + Json.quote((String) e.getKey())
                        + " is not a string");
            }
            metadata.put((String) e.getKey(), s);
        }
        return metadata;
    }

    private Entry parseEntry(String name, Object value, long dataSize) throws SafeTensorsException {
        if (!(value instanceof Map<?, ?> info)) {
            throw fault(name, "entry is not a JSON object");
        }
        for (Object key : info.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw fault(name, "unexpected key " + Json.quote((String) key)
                        + " (expected dtype, shape, data_offsets)");
            }
        }
        DType dtype = parseDtype(name, require(name, info, "dtype"));
        int[] shape = parseShape(name, require(name, info, "shape"));
        if (!(require(name, info, "data_offsets") instanceof List<?> offsets) || offsets.size() != 2
                || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)) {
            throw fault(name, "data_offsets is not a [begin, end] array of two integers");
        }
        if (begin < 0 || begin > end) {
            throw fault(name, "data_offsets [" + begin + ", " + end + "] do not satisfy 0 <= begin <= end");
        }
        if (end > dataSize) {
            throw fault(name, "data_offsets [" + begin + ", " + end + "] lie outside the data section of "
                    + dataSize + " bytes");
        }
        long count;
        try {
            count = TensorData.elementCount(shape);
        } catch (ArithmeticException e) {
            throw fault(name, "shape " + Arrays.toString(shape) + " has more elements than a long counts");
        }
        long expected = Math.multiplyHigh(count, dtype.byteSize()) != 0 ? -1 : count * dtype.byteSize();
        if (expected != end - begin) {
            throw fault(name, "data_offsets [" + begin + ", " + end + "] span " + (end - begin) + " bytes but "
                    + dtype + " shape " + Arrays.toString(shape) + " needs "
                    + (expected < 0 ? "more than 2^63" : Long.toString(expected)));
        }
        if (count > MAX_ELEMENTS) {
            throw fault(name, "too large: " + dtype + " shape " + Arrays.toString(shape) + " has " + count
                    + " elements, more than the limit of " + MAX_ELEMENTS + " elements a tensor can hold");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private Object require(String name, Map<?, ?> info, String key) throws SafeTensorsException {
        Object v = info.get(key);
        if (v == null) {
            throw fault(name, "entry is missing " + Json.quote(key));
        }
        return v;
    }

    private DType parseDtype(String name, Object value) throws SafeTensorsException {
        if (!(value instanceof String s)) {
            throw fault(name, "dtype is not a string");
        }
        DType dtype = DType.fromName(s);
        if (dtype == null) {
            throw fault(name, "unknown dtype " + Json.quote(s));
        }
        if (!dtype.isLoadable()) {
            throw fault(name, "unsupported dtype " + s + " (Sequor reads F32, F16, BF16, F64 and I64)");
        }
        return dtype;
    }

    private int[] parseShape(String name, Object value) throws SafeTensorsException {
        if (!(value instanceof List<?> dims)) {
            throw fault(name, "shape is not an array");
        }
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            Object d = dims.get(i);
            long dim;
            if (d instanceof Long l) {
                dim = l;
            } else if (d instanceof BigInteger big) {
                dim = big.signum() < 0 ? -1 : Long.MAX_VALUE;
            } else {
                throw fault(name, "shape " + Json.write(dims) + " holds a non-integer");
            }
            if (dim < 0) {
                throw fault(name, "shape " + Json.write(dims) + " has a negative dimension");
            }
            if (dim > Integer.MAX_VALUE) {
                throw fault(name, "shape " + Json.write(dims) + " has a dimension above " + Integer.MAX_VALUE);
            }
            shape[i] = (int) dim;
        }
        return shape;
    }

    /** The data section must be tiled exactly: no byte in two tensors, none in no tensor. */
    private void checkCoverage(List<Entry> sorted, long dataSize) throws SafeTensorsException {
        long covered = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() < covered) {
                throw fault(e.name(), "data_offsets [" + e.begin() + ", " + e.end() + "] overlap tensor "
                        + Json.quote(previous.name()) + " [" + previous.begin() + ", " + previous.end() + "]");
            }
            if (e.begin() > covered) {
                throw fault(e.name(), "gap: data section bytes [" + covered + ", " + e.begin()
                        + ") before this tensor belong to no tensor");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataSize) {
            throw fault(null, "data section is " + dataSize + " bytes but its tensors cover only the first "
                    + covered);
        }
    }

    private float[] load(Entry e, long dataStart) throws IOException {
        // The byte count may exceed an int (2^30 F16 elements = 2^31 bytes); the element count does not.
        int count = Math.toIntExact((e.end() - e.begin()) / e.dtype().byteSize());
        float[] out = new float[count];
        int done = 0;
        int perChunk = chunkBytes / e.dtype().byteSize();
        while (done < count) {
            int n = Math.min(perChunk, count - done);
            long pos = dataStart + e.begin() + (long) done * e.dtype().byteSize();
            ByteBuffer b = readAt(pos, n * e.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            Float32.decode(e.dtype(), b, out, done, n);
            done += n;
        }
        return out;
    }

    private long[] loadLongs(Entry e, long dataStart) throws IOException {
        int count = Math.toIntExact((e.end() - e.begin()) / Long.BYTES);
        long[] out = new long[count];
        int perChunk = chunkBytes / Long.BYTES;
        for (int done = 0; done < count; ) {
            int n = Math.min(perChunk, count - done);
            ByteBuffer b = readAt(dataStart + e.begin() + (long) done * Long.BYTES, n * Long.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().get(out, done, n);
            done += n;
        }
        return out;
    }

    private ByteBuffer readAt(long pos, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        in.position(pos);
        while (b.hasRemaining()) {
            if (in.read(b) < 0) {
                throw fault(null, "file ended at byte " + (pos + b.position()) + " while reading "
                        + length + " bytes at " + pos + " (was it changed while being read?)",
                        new EOFException());
            }
        }
        return b.flip();
    }

    private SafeTensorsException fault(String tensor, String message) {
        return new SafeTensorsException(source, tensor, message);
    }

    private SafeTensorsException fault(String tensor, String message, Throwable cause) {
        return new SafeTensorsException(source, tensor, message, cause);
    }
}
