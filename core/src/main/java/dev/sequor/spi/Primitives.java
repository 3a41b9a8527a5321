package dev.sequor.spi;

/**
 * The first tier of the backend contract: the primitives every backend must implement. A backend
 * moves float32 data and runs these methods on it; everything else (the fused kernels' defaults in
 * {@link Backend}, autograd, layers, optimizers) is written once above them, in {@code core}.
 * Backends never implement autograd. {@link Backend} adds the second tier; a new backend author
 * implements this interface's abstract methods and reads {@link Backend} for what may be overridden.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>All data is float32 in {@link Buffer}s allocated by this backend. Offsets, lengths and
 *       strides are in elements. Index inputs (gather, cross-entropy targets) are floats holding
 *       exact integers (exact up to 2^24).</li>
 *   <li>"Contiguous {@code (outer, n, inner)}" means element {@code (o, j, i)} is at
 *       {@code (o * n + j) * inner + i}; any axis of a row-major tensor can be viewed so.</li>
 *   <li>Strided arguments: element with multi-index {@code idx} of an operand is at
 *       {@code offset + sum_d idx[d] * strides[d]}; a stride of 0 broadcasts that dimension.
 *       Output buffers are always dense row-major over {@code shape} unless strides are given.</li>
 *   <li>Outputs may alias inputs only where a method says so (elementwise ops allow
 *       {@code out == x} with equal offsets, for in-place updates).</li>
 *   <li>Methods validate what is cheap (buffer ownership, bounds) and throw
 *       {@link IllegalArgumentException} naming the op; shape logic is checked by callers.</li>
 *   <li>Thread-safety: a backend may be called from several threads at once as long as no two
 *       calls write the same buffer; the calls then behave as if run one after the other.</li>
 *   <li>Asynchronous backends may queue work; {@link #download} and {@link #synchronize} wait for
 *       everything queued before them.</li>
 * </ul>
 */
public interface Primitives extends AutoCloseable {

    // ---------------------------------------------------------------- identity and memory

    /** @return the provider name this backend was created by, e.g. {@code "reference"} */
    String name();

    /** @return one line describing the device (lanes, threads, device name) for users */
    String description();

    /**
     * Allocates {@code length} floats, zero-filled.
     *
     * @throws IllegalArgumentException if {@code length < 0}
     * @throws OutOfMemoryError         (or a subclass) when the device is full
     */
    Buffer allocate(long length);

    /**
     * The most floats one buffer of this backend can hold, so that a tensor too large for it is
     * refused up front with its shape ({@code IllegalArgumentException}) rather than by an
     * {@code OutOfMemoryError} from {@link #allocate}. Thread-safe; constant for the backend's life.
     *
     * @return the largest {@code length} {@link #allocate} accepts ({@code Long.MAX_VALUE} when the
     *         only limit is the memory free at the time)
     */
    default long maxBufferLength() {
        return Long.MAX_VALUE;
    }

    /** Copies {@code n} floats from {@code src[srcOffset..]} on the host into {@code dst[dstOffset..]}. */
    void upload(float[] src, int srcOffset, Buffer dst, long dstOffset, int n);

    /** Copies {@code n} floats from {@code src[srcOffset..]} into the host array {@code dst[dstOffset..]}. */
    void download(Buffer src, long srcOffset, float[] dst, int dstOffset, int n);

    /** {@code dst[dstOffset + i] = src[srcOffset + i]} for {@code i < n}; the ranges may overlap only if equal. */
    void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n);

    /** {@code dst[offset + i] = value} for {@code i < n}. */
    void fill(Buffer dst, long offset, long n, float value);

    /**
     * The movement primitive: for every multi-index {@code idx} over {@code shape},
     * {@code dst[dstOffset + sum idx[d]*dstStrides[d]] = src[srcOffset + sum idx[d]*srcStrides[d]]}.
     * Covers transpose/permute (permuted source strides), slice and narrow (source offset), concat
     * and slice-assignment (destination offset and strides) and broadcast expansion (stride 0 in the
     * source). Destination positions must be distinct; src and dst must not overlap.
     *
     * @param shape      the iteration shape, rank 0 to 8; all three arrays have its length
     */
    void copyStrided(Buffer src, long srcOffset, long[] srcStrides,
                     Buffer dst, long dstOffset, long[] dstStrides, int[] shape);

    /** Waits until all queued work on this backend is done. A no-op on synchronous backends. */
    void synchronize();

    /** @return how many buffers this backend has allocated and not yet freed (for leak tests) */
    long liveBuffers();

    /**
     * The counters of this backend's {@link BufferPool}: buffers and bytes leased out (live) and
     * kept idle for reuse (pooled), and how many leases were served from the pool or allocated.
     * {@code liveBuffers} equals {@link #liveBuffers()}. A backend without a pool reports only that.
     *
     * @return a snapshot of the pool's counters
     */
    default BufferPool.Stats memoryStats() {
        return BufferPool.Stats.unpooled(liveBuffers());
    }

    /**
     * Starts a new high-water mark for {@link BufferPool.Stats#peakLiveBytes()}, so that a caller can
     * read the most memory one piece of work held at once. A backend without a pool does nothing.
     */
    default void resetMemoryPeak() {
    }

    /** Releases the backend's threads, queues and contexts. Buffers must not be used afterwards. */
    @Override
    void close();

    // ---------------------------------------------------------------- compute primitives

    /**
     * Batched strided matrix product: for each {@code b < batch},
     * {@code C_b = alpha * op(A_b) * op(B_b) + beta * C_b} with {@code op(A_b)} of shape
     * {@code (m, k)}, {@code op(B_b)} of shape {@code (k, n)} and {@code C_b} of shape {@code (m, n)}.
     * {@code op(X) = X^T} when the flag is set: then the stored matrix is {@code (k, m)} for A and
     * {@code (n, k)} for B, read through its own {@code ld}. When {@code beta == 0}, C is not read
     * (NaN in C does not propagate). C must not overlap A or B. {@code k == 0} gives
     * {@code beta * C}.
     */
    void gemm(boolean transA, boolean transB, int batch, int m, int n, int k,
              float alpha, MatrixView a, MatrixView b, float beta, MatrixView c);

    /** {@code out[outOffset + i] = op(x[xOffset + i])} for {@code i < n}; {@code out == x} allowed. */
    void unary(UnaryOp op, Buffer x, long xOffset, Buffer out, long outOffset, long n);

    /**
     * Broadcasting binary op: for every multi-index {@code idx} over {@code shape} (rank 0 to 8),
     * {@code out[dense(idx)] = a[sum idx[d]*aStrides[d]] op b[sum idx[d]*bStrides[d]]}, where
     * {@code dense} is the row-major position in {@code shape}. A stride of 0 broadcasts.
     * {@code out} may be {@code a} or {@code b} when that operand is dense over {@code shape}.
     */
    void binary(BinaryOp op, Buffer a, long[] aStrides, Buffer b, long[] bStrides,
                Buffer out, int[] shape);

    // Two composites of binary stay primitives on purpose. scalar is binary with a broadcast
    // one-element operand and affine is two of those; as primitives they take the scalars as
    // arguments, where the composite needs a device buffer per scalar (an allocation and an upload,
    // a round trip on an accelerator) on the hottest small-op path there is: the optimizers' update
    // of every parameter each step, and every fused default's masks and rescalings.

    /** {@code out[i] = x[i] op s} for {@code i < n} (dense); {@code out == x} allowed. */
    void scalar(BinaryOp op, Buffer x, float s, Buffer out, long n);

    /** {@code out[i] = alpha * x[i] + beta} for {@code i < n} (dense); {@code out == x} allowed. */
    void affine(Buffer x, float alpha, float beta, Buffer out, long n);

    /**
     * Select: {@code out[dense(idx)] = cond[..] != 0 ? a[..] : b[..]} over {@code shape}, each
     * operand read through its strides (0 to broadcast). Masked fill is {@code where(mask, value, x)}
     * with the value in a one-element buffer read at stride 0. NaN in {@code cond} counts as true.
     */
    void where(Buffer cond, long[] condStrides, Buffer a, long[] aStrides, Buffer b, long[] bStrides,
               Buffer out, int[] shape);

    /**
     * Reduction along the middle axis of a contiguous {@code (outer, n, inner)} input:
     * {@code out[o * inner + i] = R_{j<n} x[(o*n + j)*inner + i]}. See {@link ReduceOp}.
     */
    void reduce(ReduceOp op, Buffer x, int outer, int n, int inner, Buffer out);

    /**
     * Softmax along the middle axis of a contiguous {@code (outer, n, inner)} input:
     * {@code y_j = e^(x_j - m) / sum_k e^(x_k - m)} with {@code m = max_k x_k}, or
     * {@code log} of it ({@code x_j - logsumexp(x)}) when {@code log} is set. Exact for large
     * magnitudes; a row of all -Inf gives NaN, as in PyTorch.
     */
    void softmax(Buffer x, int outer, int n, int inner, boolean log, Buffer y);

    /**
     * Softmax backward along the middle axis, given the forward output {@code y} and the upstream
     * gradient {@code gy}: {@code gx_j = y_j (gy_j - sum_k gy_k y_k)}, or for log-softmax
     * {@code gx_j = gy_j - e^(y_j) sum_k gy_k}.
     */
    void softmaxBackward(Buffer y, Buffer gy, int outer, int n, int inner, boolean log, Buffer gx);

    /**
     * Index select along the middle axis of {@code x}, contiguous {@code (outer, n, inner)}:
     * {@code out[(o*m + j)*inner + i] = x[(o*n + idx[j])*inner + i]} for {@code j < m}.
     * An embedding lookup is {@code outer = 1}, {@code inner = dim}.
     *
     * @throws IndexOutOfBoundsException naming the index and the bound, if {@code idx[j]} is not in
     *         {@code [0, n)} (backends may check lazily, but must check)
     */
    void indexSelect(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out);

    /**
     * The adjoint of {@link #indexSelect}: {@code out[(o*n + idx[j])*inner + i] += g[(o*m + j)*inner + i]},
     * accumulating where indices repeat (an embedding's weight gradient). {@code out} is not cleared.
     */
    void indexAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out);

    /**
     * Gather along the middle axis with per-element indices (torch.gather):
     * {@code out[(o*m + j)*inner + i] = x[(o*n + idx[(o*m + j)*inner + i])*inner + i]}.
     */
    void gather(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out);

    /**
     * The adjoint of {@link #gather} (torch.scatter_add_):
     * {@code out[(o*n + idx[p])*inner + i] += g[p]} for {@code p = (o*m + j)*inner + i}.
     */
    void scatterAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out);

    /**
     * Fills {@code out[offset .. offset+n)} with draws from {@code kind}; element {@code offset + i}
     * uses counter {@code i} (see {@link CounterRng}), so results do not depend on the backend.
     */
    void randomFill(Buffer out, long offset, long n, RandomKind kind, float a, float b, long seed);
}
