package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;

/** Layer normalisation over the last axis (Ba et al. 2016), composed from Tensor ops. */
final class LayerNorms {

    static final float EPS = 1e-5f;

    private LayerNorms() {
    }

    /** {@code y = (x - mean) / sqrt(var + eps) * gamma + beta} over the last axis (biased variance). */
    static Tensor apply(Tensor x, Tensor gamma, Tensor beta) {
        Tensor centred = x.sub(x.mean(-1, true));
        Tensor var = centred.square().mean(-1, true);
        return centred.mul(var.add(EPS).rsqrt()).mul(gamma).add(beta);
    }
}
