package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link Rnn}, {@link Lstm} and {@link Gru} share: a stack of {@code numLayers} layers of one or
 * two directions over batch-first sequences {@code (B, T, inputSize)} or, with {@code batchFirst} false in
 * the configuration, time-major ones {@code (T, B, inputSize)} (PyTorch's {@code batch_first=False}: the
 * outputs are then {@code (T, B, D * hOut)}, the states keep {@code (numLayers * D, B, H)}), PyTorch's state
 * layout, inter-layer dropout and variable lengths.
 *
 * <p>Layer l, direction d reads the previous layer's output (the input for l = 0) and starts from
 * entry {@code l * numDirections + d} of the initial state. With {@code lengths}, sequence b has
 * {@code lengths[b]} valid steps: outputs past it are 0, its final state is taken at its own last
 * step and its reverse direction starts at its own end (PyTorch's packed-sequence semantics).
 */
public abstract class RecurrentLayer extends Module {

    private final String kind;
    private final int inputSize;
    private final int hiddenSize;
    private final int outputSize;
    private final int numLayers;
    private final int numDirections;
    private final float dropout;
    private final boolean hasCell;
    private final boolean batchFirst;
    private long nextSeed;
    /** Tests set this to run the step-by-step Tensor-op path even where a fused kernel applies. */
    boolean forceStepwise;

    RecurrentLayer(Backend backend, String kind, int inputSize, int hiddenSize, int outputSize, int numLayers,
                   boolean bidirectional, float dropout, boolean hasCell, long seed, boolean batchFirst) {
        super(backend);
        this.kind = kind;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.outputSize = outputSize;
        this.numLayers = numLayers;
        this.numDirections = bidirectional ? 2 : 1;
        this.dropout = dropout;
        this.hasCell = hasCell;
        this.batchFirst = batchFirst;
        this.nextSeed = seed * 1_000_003L + 0x5eed;
    }

    /** Runs the whole stack from zero states. @param x (B, T, inputSize), or (T, B, inputSize) when time-major */
    public RecurrentOutput forward(Tensor x) {
        return forward(x, null, (int[]) null);
    }

    /** Runs the whole stack from {@code initial} (null for zeros). @param x (B, T, inputSize), or (T, B, inputSize) when time-major */
    public RecurrentOutput forward(Tensor x, RecurrentState initial) {
        return forward(x, initial, (int[]) null);
    }

    /**
     * Runs the whole stack.
     *
     * @param x       (B, T, inputSize) batch-first, or (T, B, inputSize) when the configuration is time-major
     * @param initial null for zeros, else h (and c) shaped as {@link RecurrentState} says
     * @param lengths null when every sequence has T steps, else B values in [1, T]
     * @return the last layer's outputs (B, T, numDirections * hiddenOut), or (T, B, ...) when time-major,
     *         and every final state
     * @throws IllegalArgumentException naming the layer, what was expected and what was given
     */
    public RecurrentOutput forward(Tensor x, RecurrentState initial, int[] lengths) {
        int[] own = lengths == null ? null : lengths.clone();   // the backward pass reads them later
        checkInput(x, initial, own);
        // The kernels and cells run batch-first; a time-major layer converts at its edges only.
        Tensor input = batchFirst ? x : x.transpose(0, 1);   // (B, T, inputSize)
        int b = input.size(0);
        List<Tensor> hs = new ArrayList<>();
        List<Tensor> cs = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) {
            List<Tensor> outs = new ArrayList<>();
            for (int d = 0; d < numDirections; d++) {
                int idx = l * numDirections + d;
                Tensor h0 = initial == null ? Tensor.zeros(backend(), b, outputSize) : initial.h().select(0, idx);
                Tensor c0 = !hasCell ? null
                        : initial == null ? Tensor.zeros(backend(), b, hiddenSize) : initial.c().select(0, idx);
                Tensor[] r = direction(l, d == 1, input, h0, c0, own);
                outs.add(r[0]);
                hs.add(r[1]);
                if (hasCell) {
                    cs.add(r[2]);
                }
            }
            input = outs.size() == 1 ? outs.get(0) : Tensor.concat(2, outs);   // (B, T, D * hOut)
            if (dropout > 0f && isTraining() && l < numLayers - 1) {
                Tensor keep = Tensor.bernoulli(backend(), 1f - dropout, Seed.of(nextSeed()), input.shape());
                input = input.mul(keep).mul(1f / (1f - dropout));
            }
        }
        Tensor output = batchFirst ? input : input.transpose(0, 1);   // (T, B, D * hOut) when time-major
        return new RecurrentOutput(output, new RecurrentState(Tensor.stack(0, hs), hasCell ? Tensor.stack(0, cs) : null));
    }

    /**
     * Runs the whole stack with the lengths given as a tensor.
     *
     * @param lengths a (B) tensor of whole numbers in [1, T] (as PyTorch's {@code lengths}), or null
     */
    public RecurrentOutput forward(Tensor x, RecurrentState initial, Tensor lengths) {
        if (lengths == null) {
            return forward(x, initial, (int[]) null);
        }
        if (lengths.rank() != 1) {
            throw new IllegalArgumentException(kind + ": lengths must be a (B) vector, got " + Arrays.toString(lengths.shape()));
        }
        float[] f = lengths.toFloatArray();
        int[] l = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            l[i] = Math.round(f[i]);
            if (l[i] != f[i]) {
                throw new IllegalArgumentException(kind + ": lengths[" + i + "] = " + f[i] + " is not a whole number");
            }
        }
        return forward(x, initial, l);
    }

    /**
     * One layer, one direction.
     *
     * @param input (B, T, in_l); h0 (B, hOut); c0 (B, H) or null
     * @return {out (B, T, hOut), hN (B, hOut), cN (B, H) or null}
     */
    abstract Tensor[] direction(int layer, boolean reverse, Tensor input, Tensor h0, Tensor c0, int[] lengths);

    /** @return a fresh seed for a dropout or zoneout mask */
    long nextSeed() {
        return nextSeed++;
    }

    /** @return PyTorch's parameter suffix, e.g. {@code _l1_reverse} */
    static String suffix(int layer, boolean reverse) {
        return "_l" + layer + (reverse ? "_reverse" : "");
    }

    /** @return the input width of layer {@code l} */
    int layerInput(int l) {
        return l == 0 ? inputSize : numDirections * outputSize;
    }

    /** Registers a parameter (for the per-type weight sets). */
    Tensor param(String name, Tensor init) {
        return registerParameter(name, init);
    }

    private void checkInput(Tensor x, RecurrentState initial, int[] lengths) {
        if (x.rank() != 3) {
            throw new IllegalArgumentException(kind + ": input must be " + layout() + ", got "
                    + Arrays.toString(x.shape()));
        }
        if (x.size(2) != inputSize) {
            throw new IllegalArgumentException(kind + ": input width " + x.size(2) + " does not match inputSize "
                    + inputSize + " (input shape " + Arrays.toString(x.shape()) + ", expected " + layout() + ")");
        }
        int b = x.size(batchDim());
        int t = x.size(timeDim());
        if (b == 0 || t == 0) {
            throw new IllegalArgumentException(kind + ": empty input " + Arrays.toString(x.shape()));
        }
        if (initial != null) {
            checkState("h", initial.h(), new int[] {numLayers * numDirections, b, outputSize});
            if (hasCell) {
                checkState("c", initial.c(), new int[] {numLayers * numDirections, b, hiddenSize});
            } else if (initial.c() != null) {
                throw new IllegalArgumentException(kind + ": has no cell state, but an initial c was given");
            }
        }
        if (lengths != null) {
            if (lengths.length != b) {
                throw new IllegalArgumentException(kind + ": lengths has " + lengths.length
                        + " entries, expected one per sequence (B = " + b + ")");
            }
            for (int i = 0; i < b; i++) {
                if (lengths[i] < 1 || lengths[i] > t) {
                    throw new IllegalArgumentException(kind + ": lengths[" + i + "] = " + lengths[i]
                            + " is outside [1, T = " + t + "]");
                }
            }
        }
    }

    private void checkState(String name, Tensor s, int[] expected) {
        if (s == null) {
            throw new IllegalArgumentException(kind + ": initial " + name + " is missing, expected shape "
                    + Arrays.toString(expected));
        }
        if (!Arrays.equals(s.shape(), expected)) {
            throw new IllegalArgumentException(kind + ": initial " + name + " has shape " + Arrays.toString(s.shape())
                    + ", expected " + Arrays.toString(expected) + " (numLayers * numDirections, B, "
                    + (name.equals("h") ? "hiddenOut" : "hiddenSize") + ")");
        }
    }

    private String layout() {
        return batchFirst ? "batch-first (B, T, " + inputSize + ")" : "time-major (T, B, " + inputSize + ")";
    }

    /** @return whether inputs and outputs are batch-first {@code (B, T, F)}; false for time-major {@code (T, B, F)} */
    public boolean batchFirst() {
        return batchFirst;
    }

    /** @return the dimension of time in this layer's inputs and outputs: 1 batch-first, 0 time-major */
    public int timeDim() {
        return batchFirst ? 1 : 0;
    }

    /** @return the dimension of the batch in this layer's inputs and outputs: 0 batch-first, 1 time-major */
    public int batchDim() {
        return batchFirst ? 0 : 1;
    }

    /** @return the number of stacked layers */
    public int numLayers() {
        return numLayers;
    }

    /** @return 2 when bidirectional, else 1 */
    public int numDirections() {
        return numDirections;
    }

    /** @return the features of x_t */
    public int inputSize() {
        return inputSize;
    }

    /** @return H */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** @return the width of h per direction (the projection size of an LSTMP, else H) */
    public int outputSize() {
        return outputSize;
    }
}
