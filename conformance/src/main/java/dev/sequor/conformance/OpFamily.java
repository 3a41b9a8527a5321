package dev.sequor.conformance;

/**
 * The groups of ops whose rounding may legitimately differ between backends, each with the default
 * {@link Tolerance} the kit holds every backend to. A backend may loosen one only by overriding
 * {@link BackendUnderTest#tolerance(OpFamily)} in its adapter, with a comment saying why.
 *
 * <p>Ops that are exact by contract have no family and no hook: copies, fills, uploads, comparisons,
 * {@code where}, sign/abs/neg/relu, max/min, argmax/argmin, index select/gather, and the uniform and
 * Bernoulli random fills (bit for bit).
 *
 * <p>The defaults are what a careful float32 implementation reaches (float accumulation with a
 * blocked or pairwise order, vector exp/log/tanh accurate to a few ulp) on the kit's inputs, which
 * are drawn from {@code [-1, 1]} or similar unless a test says otherwise.
 */
public enum OpFamily {
    /** GEMM, inputs in [-1, 1], k up to 257: float accumulation error grows with k. */
    GEMM(Tolerance.of(1e-4, 1e-5)),
    /** Transcendental unary ops (exp, log, tanh, sigmoid, gelu, erf, sin, ...): a few ulp. */
    UNARY(Tolerance.of(1e-7, 2e-6)),
    /** Arithmetic binary, scalar and affine ops: one or two roundings (affine), pow a few ulp. */
    ARITHMETIC(Tolerance.of(1e-7, 1e-6)),
    /** Reductions (sum, mean, logsumexp) over up to a few hundred elements. */
    REDUCE(Tolerance.of(1e-6, 1e-5)),
    /** Softmax and log-softmax, forward and backward. */
    SOFTMAX(Tolerance.of(1e-6, 1e-5)),
    /** Accumulating index ops (indexAdd, scatterAdd) where indices repeat: order of adds differs. */
    INDEX_ADD(Tolerance.of(1e-6, 1e-6)),
    /** Normal random draws: Box-Muller may be evaluated in float32 ({@code CounterRng} says 1e-6). */
    RANDOM_NORMAL(Tolerance.of(1e-6, 1e-6)),
    /** Fused kernels (cells, layer norm, attention): chains of the above. For kit extensions. */
    FUSED(Tolerance.of(1e-5, 1e-4));

    private final Tolerance defaultTolerance;

    OpFamily(Tolerance defaultTolerance) {
        this.defaultTolerance = defaultTolerance;
    }

    /** @return the tolerance the kit uses unless the adapter overrides it */
    public Tolerance defaultTolerance() {
        return defaultTolerance;
    }
}
