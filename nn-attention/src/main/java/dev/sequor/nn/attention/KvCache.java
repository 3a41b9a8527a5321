package dev.sequor.nn.attention;

import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The projected keys and values of past decoding steps, so a decoder computes each step's attention
 * in {@code O(t)} instead of re-running the prefix. One cache serves a whole decoder: each attention
 * layer keeps an {@link Entry} under its name. Self-attention entries grow by one step per call;
 * cross-attention entries are filled from the encoder memory on the first step and reused after. A
 * self-attention layer with a sliding window {@code w} ({@link MultiHeadAttentionConfig#window()}) keeps
 * only its last {@code w} positions, so its entry stays {@code O(w)} however long the decoding runs.
 *
 * <p>Cached tensors live outside any {@link Scope}, so a per-step scope in a generation loop does not
 * free them; {@link #close()} frees them. Use under {@code Grad.disabled()}: the cache is for inference.
 */
public final class KvCache implements AutoCloseable {

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private int steps;

    /** The cached keys and values of one attention layer, each {@code (B, H, T, E/H)}. */
    public static final class Entry {
        private final boolean fixed;
        private Tensor keys;
        private Tensor values;

        private Entry(boolean fixed) {
            this.fixed = fixed;
        }

        /** @return whether this entry is filled once (cross-attention) rather than grown per step */
        public boolean fixed() {
            return fixed;
        }

        /** @return the cached keys {@code (B, H, T, E/H)}, or null before the first step */
        public Tensor keys() {
            return keys;
        }

        /** @return the cached values {@code (B, H, T, E/H)}, or null before the first step */
        public Tensor values() {
            return values;
        }

        /** @return how many positions the entry holds ({@code T}), 0 before the first step */
        public int length() {
            return keys == null ? 0 : keys.size(2);
        }

        /** Drops all but the last {@code n} positions (a sliding window needs no older keys). */
        void keepLast(int n) {
            int t = length();
            if (t <= n) {
                return;
            }
            Tensor oldK = keys;
            Tensor oldV = values;
            // narrow is a view of the old storage: copy so that storage can be freed
            keys = Scope.unscoped(() -> oldK.narrow(2, t - n, n).add(0f));
            values = Scope.unscoped(() -> oldV.narrow(2, t - n, n).add(0f));
            oldK.close();
            oldV.close();
        }

        boolean isEmpty() {
            return keys == null;
        }

        /** Appends (or, for a fixed entry, sets) keys and values along the time axis. */
        void append(Tensor k, Tensor v) {
            Tensor oldK = keys;
            Tensor oldV = values;
            keys = Scope.unscoped(() -> oldK == null ? k.detach() : Tensor.concat(2, oldK, k.detach()));
            values = Scope.unscoped(() -> oldV == null ? v.detach() : Tensor.concat(2, oldV, v.detach()));
            if (oldK != null) {
                oldK.close();
                oldV.close();
            }
        }

        void reorder(Tensor index) {
            if (keys == null) {
                return;
            }
            Tensor oldK = keys;
            Tensor oldV = values;
            keys = Scope.unscoped(() -> oldK.indexSelect(0, index));
            values = Scope.unscoped(() -> oldV.indexSelect(0, index));
            oldK.close();
            oldV.close();
        }

        void close() {
            if (keys != null) {
                keys.close();
                values.close();
                keys = null;
                values = null;
            }
        }
    }

    /** @return the entry of the layer named {@code name}, created on first use */
    public Entry entry(String name, boolean fixed) {
        Entry e = entries.computeIfAbsent(name, n -> new Entry(fixed));
        if (e.fixed != fixed) {
            throw new IllegalStateException("KvCache: entry '" + name + "' was created " + (e.fixed ? "fixed" : "growing")
                    + " and is now asked for as " + (fixed ? "fixed" : "growing"));
        }
        return e;
    }

    /** @return how many decoding steps have been cached (positions already seen) */
    public int steps() {
        return steps;
    }

    /** Records that a decoder call consumed {@code n} more positions. */
    public void advance(int n) {
        steps += n;
    }

    /**
     * Reorders (or repeats) the batch of every entry: sequence {@code b} of the result is sequence
     * {@code index[b]} of the cache. Beam search calls this after choosing which hypotheses survive;
     * the new batch size is {@code index.length}.
     *
     * @throws IndexOutOfBoundsException naming the index and the batch size when one is out of range
     */
    public void reorder(int[] index) {
        for (Entry e : entries.values()) {
            if (e.keys != null) {
                int batch = e.keys.size(0);
                float[] idx = new float[index.length];
                for (int i = 0; i < index.length; i++) {
                    if (index[i] < 0 || index[i] >= batch) {
                        throw new IndexOutOfBoundsException("KvCache.reorder: index " + index[i] + " at position " + i
                                + " is outside the cached batch of " + batch);
                    }
                    idx[i] = index[i];
                }
                Tensor t = Tensor.of(e.keys.backend(), idx, idx.length);
                e.reorder(t);
                t.close();
            }
        }
    }

    /** Frees every cached tensor and resets the step count. */
    @Override
    public void close() {
        entries.values().forEach(Entry::close);
        entries.clear();
        steps = 0;
    }
}
