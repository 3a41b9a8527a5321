package dev.sequor.nn;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.CustomOp;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;
import dev.sequor.core.InPlace;

import java.util.Arrays;

/**
 * A lookup table of {@code num} vectors of size {@code dim}, as PyTorch's {@code nn.Embedding}:
 * {@code y[..., :] = weight[ids[...], :]}, so ids of shape {@code S} give {@code S + [dim]}.
 * The weight {@code (num, dim)} starts as N(0, 1) draws; the row {@code paddingIdx}, if any, starts
 * at zero and never receives a gradient (a padding token's vector stays fixed). A frozen embedding
 * ({@link #freeze}, PyTorch's {@code from_pretrained(freeze=True)}) takes no gradient at all, so an
 * optimizer leaves pretrained vectors ({@link #fromPretrained}, e.g. from
 * {@link dev.sequor.io.Word2VecText}) as they are.
 */
public class Embedding extends Module implements Layer {

    private final int num;
    private final int dim;
    private final Integer paddingIdx;
    private final Tensor weight;

    /** An embedding without padding row on the session backend. */
    public Embedding(int num, int dim, Seed seed) {
        this(Backends.get(), num, dim, null, seed);
    }

    /**
     * @param paddingIdx null for none, or a row in {@code [-num, num)} (negative counts from the end,
     *                   as PyTorch)
     */
    public Embedding(Backend backend, int num, int dim, Integer paddingIdx, Seed seed) {
        super(backend);
        if (num <= 0 || dim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got num=" + num + " dim=" + dim);
        }
        if (paddingIdx != null && (paddingIdx < -num || paddingIdx >= num)) {
            throw new IndexOutOfBoundsException("Embedding: paddingIdx " + paddingIdx
                    + " is out of range for vocabulary size " + num);
        }
        this.num = num;
        this.dim = dim;
        this.paddingIdx = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + num : paddingIdx;
        Tensor init = Tensor.normal(backend, 0f, 1f, seed, num, dim);
        if (this.paddingIdx != null) {
            InPlace.fill(init, (long) this.paddingIdx * dim, dim, 0f);
        }
        this.weight = registerParameter("weight", init);
        init.close();
    }

    /**
     * The ids are checked on the host (one download per call), so a bad id is an error naming it on
     * every backend, synchronous or not.
     *
     * @param ids float tensor of any shape holding exact integer ids in {@code [0, num)}
     * @return {@code ids.shape + [dim]}
     * @throws IndexOutOfBoundsException naming the id, its position and the vocabulary size
     */
    @Override
    public Tensor forward(Tensor ids) {
        checkIds(ids);
        Backend be = backend();
        Tensor out;
        try (Grad g = Grad.disabled()) {
            out = weight.indexSelect(0, ids);
        }
        int m = (int) ids.numel();
        return CustomOp.record("Embedding", out, g -> {
            String op = "Embedding backward";
            Tensor gw = Tensor.zeros(be, num, dim);
            be.indexAdd(g.buffer(op), 1, m, dim, ids.buffer(op), num, gw.buffer(op));
            if (paddingIdx != null) {
                be.fill(gw.buffer(op), (long) paddingIdx * dim, dim, 0f);
            }
            return new Tensor[] {gw};
        }, weight);
    }

    /**
     * An embedding whose weight is a copy of {@code weight}, PyTorch's {@code Embedding.from_pretrained}.
     *
     * @param weight     (num, dim) vectors, e.g. {@code Word2VecText.read(...).vectors()}
     * @param paddingIdx null for none, or the padding row (its vector is kept as given, not zeroed)
     * @param freeze     whether the vectors stay fixed in training
     */
    public static Embedding fromPretrained(Tensor weight, Integer paddingIdx, boolean freeze) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("Embedding.fromPretrained: weight " + Arrays.toString(
                    weight.shape()) + " must be (num, dim)");
        }
        Embedding e = new Embedding(weight.backend(), weight.size(0), weight.size(1), paddingIdx, Seed.of(0L));
        e.weight.assign(weight);
        return e.freeze(freeze);
    }

    /**
     * Freezes (no gradient reaches the weight, so optimizers skip it) or unfreezes the table.
     *
     * @return this
     */
    public Embedding freeze(boolean frozen) {
        weight.requiresGrad(!frozen);
        return this;
    }

    /** @return whether the table is frozen */
    public boolean isFrozen() {
        return !weight.requiresGrad();
    }

    private void checkIds(Tensor ids) {
        float[] v = ids.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0 && v[i] < num) || v[i] != Math.rint(v[i])) {
                throw new IndexOutOfBoundsException("Embedding: id " + v[i] + " at position " + i
                        + " is out of range for vocabulary size " + num);
            }
        }
    }

    /** @return the {@code (num, dim)} weight */
    public Tensor weight() {
        return weight;
    }

    /** @return the padding row, or null */
    public Integer paddingIdx() {
        return paddingIdx;
    }

    /** @return the vocabulary size */
    public int numEmbeddings() {
        return num;
    }

    /** @return the vector size */
    public int embeddingDim() {
        return dim;
    }
}
