package dev.sequor.core;

import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.ReduceOp;
import dev.sequor.spi.UnaryOp;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * An n-dimensional float32 array on a {@link Backend}, contiguous and row-major, that records the
 * ops applied to it for reverse-mode differentiation.
 *
 * <p>Shapes follow NumPy/PyTorch: elementwise ops broadcast, negative axes count from the end,
 * sequences are batch-first {@code (B, T, F)}. Every op checks shapes and names itself and both
 * shapes when they do not fit. Ops are recorded when {@link Grad#isEnabled()} and an input
 * {@link #requiresGrad()}; {@link #backward()} then fills {@link #grad()} of the leaves.
 *
 * <p>Memory: a tensor owns (a share of) a backend buffer. {@link #close()} frees it (back to the
 * backend's {@link dev.sequor.spi.BufferPool}); a {@link Scope} ({@link #scope()}) closes every
 * tensor created inside it except those kept. A tensor that a recorded op still reads for its
 * backward is closed only once that backward has run or the op's output was closed. A buffer that
 * nothing references any more is freed by its pool's Cleaner, a safety net that can never free
 * what a graph or a running kernel still holds. Using a closed tensor throws.
 *
 * <p>Thread-safety: a tensor may be read from several threads; ops that write ({@code assign},
 * {@code *InPlace}, {@code backward}) need external synchronisation.
 */
public final class Tensor implements AutoCloseable {

    private final Backend backend;
    private final Storage storage;
    private final int[] shape;
    private volatile boolean closed;
    /** Recorded ops whose backward still reads this tensor; guarded by {@code this}. */
    private int holds;
    private boolean closeRequested;

    boolean requiresGrad;
    Node node;
    private Tensor grad;

    Tensor(Backend backend, Storage storage, int[] shape) {
        this.backend = backend;
        this.storage = storage;
        this.shape = shape;
        Scope.register(this);
    }

    // ------------------------------------------------------------------ construction

    /** @return a new scope that closes every tensor created inside it except those it keeps */
    public static Scope scope() {
        return new Scope();
    }

    /** @return an uninitialised-looking (zero-filled) tensor of {@code shape} on {@code backend} */
    static Tensor empty(Backend backend, int... shape) {
        int[] s = Shapes.check(shape, "empty");
        long n = Shapes.numel(s);
        if (n > backend.maxBufferLength()) {
            throw new IllegalArgumentException("shape " + Shapes.str(s) + " has " + n + " elements, more than the "
                    + backend.name() + " backend holds in one tensor (" + backend.maxBufferLength() + ")");
        }
        return new Tensor(backend, new Storage(backend.allocate(n)), s);
    }

    /** @return a view of {@code data} copied to the session backend with the given shape */
    public static Tensor of(float[] data, int... shape) {
        return of(Backends.get(), data, shape);
    }

    /**
     * @return a tensor holding a copy of {@code data}, shaped {@code shape} (a 1-D tensor when no
     *         shape is given)
     * @throws IllegalArgumentException if the data length is not the product of the shape
     */
    public static Tensor of(Backend backend, float[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : Shapes.check(shape, "of");
        if (Shapes.numel(s) != data.length) {
            throw new IllegalArgumentException("of: " + data.length + " values do not fill shape " + Shapes.str(s)
                    + " (" + Shapes.numel(s) + " elements)");
        }
        Tensor t = empty(backend, s);
        backend.upload(data, 0, t.buffer("of"), 0, data.length);
        return t;
    }

    /** @return a rank-0 tensor holding {@code value} on the session backend */
    public static Tensor scalar(float value) {
        return scalar(Backends.get(), value);
    }

    /** @return a rank-0 tensor holding {@code value} */
    public static Tensor scalar(Backend backend, float value) {
        return full(backend, value);
    }

    /** @return zeros of {@code shape} on the session backend */
    public static Tensor zeros(int... shape) {
        return zeros(Backends.get(), shape);
    }

    /** @return zeros of {@code shape} */
    public static Tensor zeros(Backend backend, int... shape) {
        return empty(backend, shape);
    }

    /** @return ones of {@code shape} on the session backend */
    public static Tensor ones(int... shape) {
        return full(Backends.get(), 1f, shape);
    }

    /** @return ones of {@code shape} */
    public static Tensor ones(Backend backend, int... shape) {
        return full(backend, 1f, shape);
    }

    /** @return a tensor of {@code shape} filled with {@code value} on the session backend */
    public static Tensor full(float value, int... shape) {
        return full(Backends.get(), value, shape);
    }

    /** @return a tensor of {@code shape} filled with {@code value} */
    public static Tensor full(Backend backend, float value, int... shape) {
        Tensor t = empty(backend, shape);
        if (value != 0f) {
            backend.fill(t.buffer("full"), 0, t.numel(), value);
        }
        return t;
    }

    /** @return {@code [0, 1, ..., n-1]} on the session backend */
    public static Tensor arange(int n) {
        return arange(Backends.get(), n);
    }

    /** @return {@code [0, 1, ..., n-1]} */
    public static Tensor arange(Backend backend, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return of(backend, v, n);
    }

    /** @return draws from uniform [lo, hi) with the given seed, identical on every backend */
    public static Tensor uniform(Backend backend, float lo, float hi, Seed seed, int... shape) {
        return random(backend, RandomKind.UNIFORM, lo, hi, seed.value(), shape);
    }

    /** @return draws from uniform [lo, hi) on the session backend */
    public static Tensor uniform(float lo, float hi, Seed seed, int... shape) {
        return uniform(Backends.get(), lo, hi, seed, shape);
    }

    /** @return draws from N(mean, std^2) with the given seed, identical on every backend */
    public static Tensor normal(Backend backend, float mean, float std, Seed seed, int... shape) {
        return random(backend, RandomKind.NORMAL, mean, std, seed.value(), shape);
    }

    /** @return draws from N(mean, std^2) on the session backend */
    public static Tensor normal(float mean, float std, Seed seed, int... shape) {
        return normal(Backends.get(), mean, std, seed, shape);
    }

    /** @return 1 with probability {@code p}, else 0 (a dropout keep-mask when p is the keep rate) */
    public static Tensor bernoulli(Backend backend, float p, Seed seed, int... shape) {
        return random(backend, RandomKind.BERNOULLI, p, 0f, seed.value(), shape);
    }

    private static Tensor random(Backend backend, RandomKind kind, float a, float b, long seed, int... shape) {
        Tensor t = empty(backend, shape);
        backend.randomFill(t.buffer("random"), 0, t.numel(), kind, a, b, seed);
        return t;
    }

    /** @return zeros with this tensor's shape and backend */
    public Tensor zerosLike() {
        return zeros(backend, shape);
    }

    /** @return a tensor of this tensor's shape and backend filled with {@code value} */
    public Tensor fullLike(float value) {
        return full(backend, value, shape);
    }

    // ------------------------------------------------------------------ properties

    /** @return the backend holding this tensor's data */
    public Backend backend() {
        return backend;
    }

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the size of dimension {@code axis} (negative counts from the end) */
    public int size(int axis) {
        return shape[Shapes.axis(axis, shape.length, "size")];
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /** @return the number of elements */
    public long numel() {
        return Shapes.numel(shape);
    }

    /** @return whether this tensor has been closed */
    public boolean isClosed() {
        return closed;
    }

    /** @return the buffer, or a clear error naming the op if this tensor was closed */
    public Buffer buffer(String op) {
        if (closed || storage.buffer.isClosed()) {
            throw new IllegalStateException(op + ": tensor " + Shapes.str(shape) + " is closed");
        }
        return storage.buffer;
    }

    Buffer buf() {
        return buffer("op");
    }

    int[] dims() {
        return shape;
    }

    // ------------------------------------------------------------------ autograd

    /** @return whether gradients flow to this tensor */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as needing its gradient (a parameter). @return this */
    public Tensor requiresGrad(boolean value) {
        if (node != null && !value) {
            throw new IllegalStateException("requiresGrad: cannot turn off gradients of a non-leaf tensor; use detach()");
        }
        this.requiresGrad = value;
        return this;
    }

    /** @return the accumulated gradient of a leaf after {@link #backward()}, or null */
    public Tensor grad() {
        return grad;
    }

    /** Drops the accumulated gradient (optimizers' {@code zeroGrad}); frees its buffer. */
    public void zeroGrad() {
        if (grad != null) {
            grad.close();
            grad = null;
        }
    }

    /** @return whether this tensor was produced by a recorded op (false for leaves) */
    public boolean isLeaf() {
        return node == null;
    }

    /** Backpropagates from a scalar (one-element) tensor with gradient 1. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward: implicit gradient needs a one-element tensor, got "
                    + Shapes.str(shape) + "; pass the gradient explicitly");
        }
        try (Grad g = Grad.disabled()) {
            Autograd.backward(this, fullLike(1f));
        }
    }

    /** Backpropagates {@code gradient} (same shape as this tensor) through the recorded graph. */
    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient);
    }

    void accumulateGrad(Tensor g) {
        if (grad == null) {
            grad = Scope.unscoped(() -> {
                Tensor copy = empty(backend, shape);
                backend.copy(g.buf(), 0, copy.buf(), 0, numel());
                return copy;
            });
        } else {
            Elementwise.addInto(grad, g);
        }
    }

    /** @return a tensor sharing this data with no history and no gradient */
    public Tensor detach() {
        buffer("detach"); // a closed tensor must not come back to life through a view of shared storage
        return view(shape.clone());
    }

    /** @return a new tensor sharing this storage with another shape of the same size */
    Tensor view(int[] newShape) {
        storage.retain();
        return new Tensor(backend, storage, newShape);
    }

    /**
     * Moves this tensor to another backend, like PyTorch's {@code tensor.to(device)}: returns
     * {@code this} when it already lives on {@code target}, else a copy there with the same shape
     * and values. The move is differentiable: the gradient of the copy flows back to this tensor,
     * moved to this tensor's backend.
     *
     * @param target the backend to move to, e.g. {@code Backends.get("reference")}
     * @return this tensor on {@code target}
     */
    public Tensor to(Backend target) {
        Objects.requireNonNull(target, "to: target backend");
        if (target == backend) {
            return this;
        }
        float[] data = toFloatArray();
        Tensor out = empty(target, shape);
        target.upload(data, 0, out.buffer("to"), 0, data.length);
        Backend home = backend;
        return Autograd.record(out, "to", g -> new Tensor[] {g.to(home)}, this);
    }

    // ------------------------------------------------------------------ data out

    /** @return a copy of the data in row-major order */
    public float[] toFloatArray() {
        int n = Shapes.toInt(numel(), "toFloatArray");
        float[] out = new float[n];
        backend.download(buffer("toFloatArray"), 0, out, 0, n);
        return out;
    }

    /** @return the value of a one-element tensor */
    public float item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: tensor " + Shapes.str(shape) + " has " + numel() + " elements, not 1");
        }
        float[] v = new float[1];
        backend.download(buffer("item"), 0, v, 0, 1);
        return v[0];
    }

    @Override
    public String toString() {
        if (closed) {
            return "Tensor" + Shapes.str(shape) + " (closed)";
        }
        return TensorFormat.format(this);
    }

    /**
     * Frees this tensor's share of its buffer, and its gradient (a leaf's grad lives outside scopes).
     * While a recorded op still needs this tensor for its backward, the free waits until that
     * backward has run or that op's output is closed. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (holds > 0) {
                closeRequested = true;
                return;
            }
            closed = true;
        }
        storage.release();
        zeroGrad();
        Node n = node;
        if (n != null) {
            n.release();
        }
    }

    /** A recorded op will read this tensor in its backward. */
    synchronized void hold() {
        holds++;
    }

    /** A recorded op no longer needs this tensor; a close asked for meanwhile happens now. */
    void unhold() {
        boolean closeNow;
        synchronized (this) {
            holds--;
            closeNow = holds == 0 && closeRequested;
        }
        if (closeNow) {
            close();
        }
    }

    // ------------------------------------------------------------------ in-place updates (not recorded)

    /** Copies {@code src}'s values into this tensor (same shape); not recorded by autograd. @return this */
    public Tensor assign(Tensor src) {
        Elementwise.requireSameShape("assign", this, src);
        backend.copy(src.buffer("assign"), 0, buffer("assign"), 0, numel());
        return this;
    }

    /** {@code this += alpha * other} (other broadcast to this shape); not recorded. @return this */
    public Tensor addInPlace(Tensor other, float alpha) {
        Elementwise.axpyInto(this, other, alpha);
        return this;
    }

    /** {@code this *= s}; not recorded. @return this */
    public Tensor mulInPlace(float s) {
        backend.affine(buffer("mulInPlace"), s, 0f, buffer("mulInPlace"), numel());
        return this;
    }

    /** Sets every element to {@code value}; not recorded. @return this */
    public Tensor fillInPlace(float value) {
        backend.fill(buffer("fillInPlace"), 0, numel(), value);
        return this;
    }

    // ------------------------------------------------------------------ elementwise

    /** @return {@code this + other}, broadcasting */
    public Tensor add(Tensor other) { return Elementwise.binary(BinaryOp.ADD, this, other); }
    /** @return {@code this - other}, broadcasting */
    public Tensor sub(Tensor other) { return Elementwise.binary(BinaryOp.SUB, this, other); }
    /** @return {@code this * other}, broadcasting */
    public Tensor mul(Tensor other) { return Elementwise.binary(BinaryOp.MUL, this, other); }
    /** @return {@code this / other}, broadcasting */
    public Tensor div(Tensor other) { return Elementwise.binary(BinaryOp.DIV, this, other); }
    /** @return {@code this ^ other}, broadcasting */
    public Tensor pow(Tensor other) { return Elementwise.binary(BinaryOp.POW, this, other); }
    /** @return elementwise maximum (gradient to the larger; split evenly on ties) */
    public Tensor maximum(Tensor other) { return Elementwise.binary(BinaryOp.MAX, this, other); }
    /** @return elementwise minimum (gradient to the smaller; split evenly on ties) */
    public Tensor minimum(Tensor other) { return Elementwise.binary(BinaryOp.MIN, this, other); }

    /** @return {@code this + s} */
    public Tensor add(float s) { return Elementwise.affine(this, 1f, s); }
    /** @return {@code this - s} */
    public Tensor sub(float s) { return Elementwise.affine(this, 1f, -s); }
    /** @return {@code this * s} */
    public Tensor mul(float s) { return Elementwise.affine(this, s, 0f); }
    /** @return {@code this / s} */
    public Tensor div(float s) { return Elementwise.affine(this, 1f / s, 0f); }
    /** @return {@code alpha * this + beta} */
    public Tensor affine(float alpha, float beta) { return Elementwise.affine(this, alpha, beta); }
    /** @return {@code this ^ p} */
    public Tensor pow(float p) { return Elementwise.powScalar(this, p); }

    /** @return {@code -this} */
    public Tensor neg() { return Elementwise.unary(UnaryOp.NEG, this); }
    /** @return {@code |this|} */
    public Tensor abs() { return Elementwise.unary(UnaryOp.ABS, this); }
    /** @return {@code e^this} */
    public Tensor exp() { return Elementwise.unary(UnaryOp.EXP, this); }
    /** @return {@code ln this} */
    public Tensor log() { return Elementwise.unary(UnaryOp.LOG, this); }
    /** @return {@code sqrt this} */
    public Tensor sqrt() { return Elementwise.unary(UnaryOp.SQRT, this); }
    /** @return {@code 1 / sqrt this} */
    public Tensor rsqrt() { return Elementwise.unary(UnaryOp.RSQRT, this); }
    /** @return {@code 1 / this} */
    public Tensor reciprocal() { return Elementwise.unary(UnaryOp.RECIPROCAL, this); }
    /** @return {@code this^2} */
    public Tensor square() { return Elementwise.unary(UnaryOp.SQUARE, this); }
    /** @return {@code tanh this} */
    public Tensor tanh() { return Elementwise.unary(UnaryOp.TANH, this); }
    /** @return the logistic sigmoid {@code 1 / (1 + e^-this)} */
    public Tensor sigmoid() { return Elementwise.unary(UnaryOp.SIGMOID, this); }
    /** @return {@code max(this, 0)} */
    public Tensor relu() { return Elementwise.unary(UnaryOp.RELU, this); }
    /** @return exact GELU {@code x Phi(x)} */
    public Tensor gelu() { return Elementwise.unary(UnaryOp.GELU, this); }
    /** @return {@code sin this} */
    public Tensor sin() { return Elementwise.unary(UnaryOp.SIN, this); }
    /** @return {@code cos this} */
    public Tensor cos() { return Elementwise.unary(UnaryOp.COS, this); }
    /** @return {@code sign this} (gradient zero) */
    public Tensor sign() { return Elementwise.unary(UnaryOp.SIGN, this); }

    /** @return values limited to {@code [min, max]} (gradient passes inside the range only) */
    public Tensor clamp(float min, float max) { return Elementwise.clamp(this, min, max); }

    /** @return 1 where {@code this == other}, else 0 (no gradient) */
    public Tensor eq(Tensor other) { return Elementwise.compare(BinaryOp.EQ, this, other); }
    /** @return 1 where {@code this > other}, else 0 (no gradient) */
    public Tensor gt(Tensor other) { return Elementwise.compare(BinaryOp.GT, this, other); }
    /** @return 1 where {@code this < other}, else 0 (no gradient) */
    public Tensor lt(Tensor other) { return Elementwise.compare(BinaryOp.LT, this, other); }
    /** @return 1 where {@code this >= other}, else 0 (no gradient) */
    public Tensor ge(Tensor other) { return Elementwise.compare(BinaryOp.GE, this, other); }

    /** @return {@code cond != 0 ? a : b}, broadcasting all three; gradients flow to a and b */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Elementwise.where(cond, a, b); }

    /**
     * @param mask  broadcastable to this shape; nonzero (true) marks the positions to replace
     * @return this tensor with {@code value} where {@code mask} is nonzero (no gradient there)
     */
    public Tensor maskedFill(Tensor mask, float value) { return Elementwise.maskedFill(this, mask, value); }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product with PyTorch's {@code matmul} rules for rank >= 2: {@code (..., m, k) @ (..., k, n)}
     * with broadcast batch dimensions; a rank-2 right operand is shared across the batch without copying.
     */
    public Tensor matmul(Tensor other) { return Linalg.matmul(this, other); }

    /**
     * {@code this @ w^T} for a rank-2 {@code w (n, k)}: {@code (..., k) -> (..., n)}, the product of a
     * linear layer, computed by a transposed GEMM without copying {@code w}.
     */
    public Tensor matmulTransposed(Tensor w) { return Linalg.matmulTransposed(this, w); }

    // ------------------------------------------------------------------ reductions and softmax

    /** @return the sum of all elements (rank 0) */
    public Tensor sum() { return Reductions.sumAll(this); }
    /** @return the sum along {@code axis} */
    public Tensor sum(int axis, boolean keepDims) { return Reductions.reduce(ReduceOp.SUM, this, axis, keepDims); }
    /** @return the sum along several axes */
    public Tensor sum(int[] axes, boolean keepDims) { return Reductions.sumAxes(this, axes, keepDims); }
    /** @return the mean of all elements (rank 0) */
    public Tensor mean() { return Reductions.meanAll(this); }
    /** @return the mean along {@code axis} */
    public Tensor mean(int axis, boolean keepDims) { return Reductions.reduce(ReduceOp.MEAN, this, axis, keepDims); }
    /** @return the maximum along {@code axis} (gradient to the first maximum) */
    public Tensor max(int axis, boolean keepDims) { return Reductions.reduce(ReduceOp.MAX, this, axis, keepDims); }
    /** @return the minimum along {@code axis} (gradient to the first minimum) */
    public Tensor min(int axis, boolean keepDims) { return Reductions.reduce(ReduceOp.MIN, this, axis, keepDims); }
    /** @return the index of the first maximum along {@code axis}, as floats (no gradient) */
    public Tensor argmax(int axis, boolean keepDims) { return Reductions.reduce(ReduceOp.ARGMAX, this, axis, keepDims); }
    /** @return the index of the first minimum along {@code axis}, as floats (no gradient) */
    public Tensor argmin(int axis, boolean keepDims) { return Reductions.reduce(ReduceOp.ARGMIN, this, axis, keepDims); }
    /** @return {@code log sum exp} along {@code axis}, computed stably */
    public Tensor logSumExp(int axis, boolean keepDims) { return Reductions.reduce(ReduceOp.LOGSUMEXP, this, axis, keepDims); }
    /** @return softmax along {@code axis} */
    public Tensor softmax(int axis) { return Reductions.softmax(this, axis, false); }
    /** @return log-softmax along {@code axis} */
    public Tensor logSoftmax(int axis) { return Reductions.softmax(this, axis, true); }
    /** @return the population variance along {@code axis} ({@code unbiased} divides by n-1) */
    public Tensor var(int axis, boolean unbiased, boolean keepDims) { return Reductions.var(this, axis, unbiased, keepDims); }

    // ------------------------------------------------------------------ shape and movement

    /** @return the same data with another shape (one dimension may be -1); shares storage */
    public Tensor reshape(int... newShape) { return Movement.reshape(this, newShape); }
    /** @return this tensor with axes {@code a} and {@code b} swapped (a copy) */
    public Tensor transpose(int a, int b) { return Movement.transpose(this, a, b); }
    /** @return this tensor with its axes reordered: output axis i is input axis {@code perm[i]} */
    public Tensor permute(int... perm) { return Movement.permute(this, perm); }
    /** @return {@code length} entries of {@code axis} starting at {@code start} (a copy) */
    public Tensor narrow(int axis, int start, int length) { return Movement.narrow(this, axis, start, length); }
    /** @return entry {@code index} of {@code axis}, with that axis removed */
    public Tensor select(int axis, int index) { return Movement.select(this, axis, index); }
    /** @return a new axis of size 1 inserted at {@code axis} */
    public Tensor unsqueeze(int axis) { return Movement.unsqueeze(this, axis); }
    /** @return {@code axis} (of size 1) removed */
    public Tensor squeeze(int axis) { return Movement.squeeze(this, axis); }
    /** @return this tensor broadcast (copied) to {@code shape} */
    public Tensor expand(int... newShape) { return Movement.expand(this, newShape); }
    /** @return this tensor split along {@code axis} into pieces of the given sizes */
    public List<Tensor> split(int axis, int... sizes) { return Movement.split(this, axis, sizes); }
    /** @return this tensor split along {@code axis} into {@code chunks} equal pieces */
    public List<Tensor> chunk(int chunks, int axis) { return Movement.chunk(this, chunks, axis); }
    /** @return the tensors joined along an existing axis */
    public static Tensor concat(int axis, Tensor... parts) { return Movement.concat(axis, Arrays.asList(parts)); }
    /** @return the tensors joined along an existing axis */
    public static Tensor concat(int axis, List<Tensor> parts) { return Movement.concat(axis, parts); }
    /** @return the tensors stacked along a new axis */
    public static Tensor stack(int axis, List<Tensor> parts) { return Movement.stack(axis, parts); }
    /** @return the tensors stacked along a new axis */
    public static Tensor stack(int axis, Tensor... parts) { return Movement.stack(axis, Arrays.asList(parts)); }

    // ------------------------------------------------------------------ indexing

    /**
     * Picks entries of {@code axis} by index: the result has {@code indices.shape()} in place of
     * that axis. An embedding lookup is {@code weight.indexSelect(0, ids)} giving {@code ids.shape + [dim]}.
     *
     * @param indices float tensor of exact integers in {@code [0, size(axis))}
     */
    public Tensor indexSelect(int axis, Tensor indices) { return Indexing.indexSelect(this, axis, indices); }

    /** torch.gather: {@code out[..., j, ...] = this[..., index[..., j, ...], ...]} along {@code axis}. */
    public Tensor gather(int axis, Tensor index) { return Indexing.gather(this, axis, index); }

    /** Reverses the order along {@code axis} (PyTorch's {@code flip(dims=[axis])}), e.g. input reversal in seq2seq. */
    public Tensor flip(int axis) { return Indexing.flip(this, axis); }
}
