package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.util.List;
import java.util.function.BiFunction;

/**
 * The parameters of one GRU layer direction (or one {@link GruCell}) and its maths, gates r, z, n in
 * PyTorch's order: {@code weight_ih} (3H, in), {@code weight_hh} (3H, H), {@code bias_ih},
 * {@code bias_hh} (3H).
 *
 * <pre>
 *   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)      z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 *   resetAfter (PyTorch, cuDNN):   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 *   reset before (Cho et al. 2014): n = tanh(W_in x + b_in + W_hn (r * h) + b_hn)
 *   h' = (1 - z) * n + z * h
 * </pre>
 */
record GruWeights(boolean resetAfter, int hidden, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {

    static GruWeights create(Backend be, int in, int h, boolean bias, boolean resetAfter, RecurrentInit init,
                             BiFunction<String, Tensor, Tensor> reg, String suffix, long seed) {
        float k = (float) (1.0 / Math.sqrt(h));
        Tensor wIh = reg.apply("weight_ih" + suffix, Tensor.uniform(be, -k, k, Seed.of(seed), 3 * h, in));
        Tensor wHh = reg.apply("weight_hh" + suffix, init.recurrentWeight(be, 3, h, h, k, seed + 1));
        Tensor bIh = bias ? reg.apply("bias_ih" + suffix, Tensor.uniform(be, -k, k, Seed.of(seed + 2), 3 * h)) : null;
        Tensor bHh = bias ? reg.apply("bias_hh" + suffix, Tensor.uniform(be, -k, k, Seed.of(seed + 3), 3 * h)) : null;
        return new GruWeights(resetAfter, h, wIh, wHh, bIh, bHh);
    }

    /** @param x (..., in) @return (..., 3H): {@code x W_ih^T + b_ih} (b_hh stays inside the step) */
    Tensor inputProjection(Tensor x) {
        Tensor a = x.matmulTransposed(wIh);
        return bIh == null ? a : a.add(bIh);
    }

    /** @return b_hh, or zeros when the layer has no bias (for the fused kernel) */
    Tensor recurrentBias() {
        return bHh != null ? bHh : Tensor.zeros(wHh.backend(), 3 * hidden);
    }

    /** One step from {@code xt (B, 3H)} and h (B, H). @return {h_t, null} */
    Tensor[] step(Tensor xt, Tensor h, Tensor unusedCell) {
        List<Tensor> x = xt.chunk(3, 1);
        Tensor hNew;
        if (resetAfter) {
            Tensor p = h.matmulTransposed(wHh);
            if (bHh != null) {
                p = p.add(bHh);
            }
            List<Tensor> q = p.chunk(3, 1);
            Tensor r = x.get(0).add(q.get(0)).sigmoid();
            Tensor z = x.get(1).add(q.get(1)).sigmoid();
            Tensor n = x.get(2).add(r.mul(q.get(2))).tanh();
            hNew = n.add(z.mul(h.sub(n)));
        } else {
            Tensor wRz = wHh.narrow(0, 0, 2 * hidden);      // (2H, H)
            Tensor wN = wHh.narrow(0, 2 * hidden, hidden);  // (H, H)
            Tensor p = h.matmulTransposed(wRz);
            if (bHh != null) {
                p = p.add(bHh.narrow(0, 0, 2 * hidden));
            }
            List<Tensor> q = p.chunk(2, 1);
            Tensor r = x.get(0).add(q.get(0)).sigmoid();
            Tensor z = x.get(1).add(q.get(1)).sigmoid();
            Tensor pn = r.mul(h).matmulTransposed(wN);
            if (bHh != null) {
                pn = pn.add(bHh.narrow(0, 2 * hidden, hidden));
            }
            Tensor n = x.get(2).add(pn).tanh();
            hNew = n.add(z.mul(h.sub(n)));
        }
        return new Tensor[] {hNew, null};
    }
}
