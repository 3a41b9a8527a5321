package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.util.List;
import java.util.function.BiFunction;

/**
 * The parameters of one LSTM layer direction (or one {@link LstmCell}) and its maths. Names follow
 * PyTorch with a suffix ({@code weight_ih_l0}, {@code weight_hh_l1_reverse}, {@code weight_hr_l0});
 * the variants PyTorch lacks add {@code weight_ci/cf/co} (peepholes) and {@code ln_ih/ln_hh/ln_c}
 * weights and biases (layer norm). G is 4 (gates i, f, g, o) or 3 when coupled (f, g, o); H the
 * cell width; P the output width (projSize, or H).
 *
 * <pre>
 *   a_t = LN_ih(x_t W_ih^T) + b_ih + b_hh + LN_hh(h_{t-1} W_hh^T)      (LN only with layerNorm)
 *   i = sigmoid(a_i + w_ci * c_{t-1})   f = sigmoid(a_f + w_cf * c_{t-1})   (w_c* only with peephole)
 *   i = 1 - f                                                          (coupled)
 *   g = tanh(a_g)    c_t = f * c_{t-1} + i * g
 *   o = sigmoid(a_o + w_co * c_t)      h_t = o * tanh(LN_c(c_t))       (then h_t W_hr^T with projection)
 * </pre>
 */
record LstmWeights(LstmConfig cfg, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, Tensor wHr,
                   Tensor wCi, Tensor wCf, Tensor wCo,
                   Tensor lnIhW, Tensor lnIhB, Tensor lnHhW, Tensor lnHhB, Tensor lnCW, Tensor lnCB) {

    /**
     * Creates and registers the parameters, in PyTorch's order.
     *
     * @param reg    registers a parameter under a name and returns it
     * @param suffix appended to every name ("" for a cell)
     * @param in     the input width
     */
    static LstmWeights create(Backend be, LstmConfig cfg, BiFunction<String, Tensor, Tensor> reg, String suffix,
                              int in, long seed) {
        int h = cfg.hiddenSize();
        int p = cfg.outputSize();
        int g = cfg.gateCount();
        float k = (float) (1.0 / Math.sqrt(h));
        Tensor wIh = reg.apply("weight_ih" + suffix, Tensor.uniform(be, -k, k, Seed.of(seed), g * h, in));
        Tensor wHh = reg.apply("weight_hh" + suffix, cfg.init().recurrentWeight(be, g, h, p, k, seed + 1));
        Tensor bIh = null;
        Tensor bHh = null;
        if (cfg.bias()) {
            float[] bi = Tensor.uniform(be, -k, k, Seed.of(seed + 2), g * h).toFloatArray();
            int f = cfg.coupled() ? 0 : 1;
            for (int j = f * h; j < (f + 1) * h; j++) {
                bi[j] += cfg.forgetBias();
            }
            bIh = reg.apply("bias_ih" + suffix, Tensor.of(be, bi, g * h));
            bHh = reg.apply("bias_hh" + suffix, Tensor.uniform(be, -k, k, Seed.of(seed + 3), g * h));
        }
        Tensor wHr = cfg.projSize() > 0
                ? reg.apply("weight_hr" + suffix, Tensor.uniform(be, -k, k, Seed.of(seed + 4), p, h)) : null;
        Tensor wCi = null;
        Tensor wCf = null;
        Tensor wCo = null;
        if (cfg.peephole()) {
            wCi = cfg.coupled() ? null : reg.apply("weight_ci" + suffix, Tensor.uniform(be, -k, k, Seed.of(seed + 5), h));
            wCf = reg.apply("weight_cf" + suffix, Tensor.uniform(be, -k, k, Seed.of(seed + 6), h));
            wCo = reg.apply("weight_co" + suffix, Tensor.uniform(be, -k, k, Seed.of(seed + 7), h));
        }
        Tensor[] ln = new Tensor[6];
        if (cfg.layerNorm()) {
            ln[0] = reg.apply("ln_ih_weight" + suffix, Tensor.ones(be, g * h));
            ln[1] = reg.apply("ln_ih_bias" + suffix, Tensor.zeros(be, g * h));
            ln[2] = reg.apply("ln_hh_weight" + suffix, Tensor.ones(be, g * h));
            ln[3] = reg.apply("ln_hh_bias" + suffix, Tensor.zeros(be, g * h));
            ln[4] = reg.apply("ln_c_weight" + suffix, Tensor.ones(be, h));
            ln[5] = reg.apply("ln_c_bias" + suffix, Tensor.zeros(be, h));
        }
        return new LstmWeights(cfg, wIh, wHh, bIh, bHh, wHr, wCi, wCf, wCo, ln[0], ln[1], ln[2], ln[3], ln[4], ln[5]);
    }

    /** @param x (..., in) @return (..., G*H): {@code LN_ih(x W_ih^T) + b_ih + b_hh}, for all steps at once */
    Tensor inputProjection(Tensor x) {
        Tensor a = x.matmulTransposed(wIh);
        if (cfg.layerNorm()) {
            a = LayerNorms.apply(a, lnIhW, lnIhB);
        }
        return bIh == null ? a : a.add(bIh.add(bHh));
    }

    /** One step from the projected input {@code xt (B, G*H)} and state h (B, P), c (B, H). @return {h_t, c_t} */
    Tensor[] step(Tensor xt, Tensor h, Tensor c) {
        Tensor rec = h.matmulTransposed(wHh);
        if (cfg.layerNorm()) {
            rec = LayerNorms.apply(rec, lnHhW, lnHhB);
        }
        List<Tensor> a = xt.add(rec).chunk(cfg.gateCount(), 1);
        int at = cfg.coupled() ? 0 : 1;
        Tensor af = a.get(at);
        Tensor ag = a.get(at + 1);
        Tensor ao = a.get(at + 2);
        if (cfg.peephole()) {
            af = af.add(wCf.mul(c));
        }
        Tensor f = af.sigmoid();
        Tensor i;
        if (cfg.coupled()) {
            i = f.affine(-1f, 1f);
        } else {
            Tensor ai = a.get(0);
            i = (cfg.peephole() ? ai.add(wCi.mul(c)) : ai).sigmoid();
        }
        Tensor cNew = f.mul(c).add(i.mul(ag.tanh()));
        if (cfg.peephole()) {
            ao = ao.add(wCo.mul(cNew));
        }
        Tensor cAct = cfg.layerNorm() ? LayerNorms.apply(cNew, lnCW, lnCB) : cNew;
        Tensor hNew = ao.sigmoid().mul(cAct.tanh());
        if (wHr != null) {
            hNew = hNew.matmulTransposed(wHr);
        }
        return new Tensor[] {hNew, cNew};
    }
}
