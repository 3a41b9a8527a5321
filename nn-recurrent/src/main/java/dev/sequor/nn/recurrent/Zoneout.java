package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;

import java.util.function.LongSupplier;

/**
 * Zoneout (Krueger et al. 2016): each unit keeps its previous value with probability p instead of
 * taking the new one. Training: {@code h_t = d * h_{t-1} + (1 - d) * h~_t} with
 * {@code d ~ Bernoulli(p)} per unit and step; evaluation uses the expectation
 * {@code h_t = p h_{t-1} + (1 - p) h~_t}.
 *
 * @param pHidden probability for h
 * @param pCell   probability for c (LSTM)
 * @param training whether masks are drawn
 * @param seeds   fresh seed per mask
 */
record Zoneout(float pHidden, float pCell, boolean training, LongSupplier seeds) {

    /** @return null when both rates are 0 (no zoneout), else the zoneout */
    static Zoneout of(float pHidden, float pCell, boolean training, LongSupplier seeds) {
        return pHidden == 0f && pCell == 0f ? null : new Zoneout(pHidden, pCell, training, seeds);
    }

    Tensor hidden(Tensor prev, Tensor fresh) {
        return apply(pHidden, prev, fresh);
    }

    Tensor cell(Tensor prev, Tensor fresh) {
        return apply(pCell, prev, fresh);
    }

    private Tensor apply(float p, Tensor prev, Tensor fresh) {
        if (p == 0f) {
            return fresh;
        }
        if (training) {
            Tensor keep = Tensor.bernoulli(fresh.backend(), p, Seed.of(seeds.getAsLong()), fresh.shape());
            return Tensor.where(keep, prev, fresh);
        }
        return prev.mul(p).add(fresh.mul(1f - p));
    }
}
