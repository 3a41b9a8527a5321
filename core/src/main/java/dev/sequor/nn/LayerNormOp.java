package dev.sequor.nn;

import dev.sequor.core.Grad;
import dev.sequor.core.CustomOp;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

/** The tape entry for the fused layer-norm kernel: forward and backward on the backend. */
final class LayerNormOp {

    private LayerNormOp() {
    }

    static Tensor apply(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, float eps) {
        String op = "LayerNorm";
        int cols = NormShapes.checkTrailing(op, x, normalizedShape);
        NormShapes.checkParam(op, "weight", weight, normalizedShape);
        NormShapes.checkParam(op, "bias", bias, normalizedShape);
        Backend be = x.backend();
        int rows = cols == 0 ? 0 : (int) (x.numel() / cols);
        Tensor y = Tensor.zeros(be, x.shape());
        Tensor mean = Tensor.zeros(be, rows);
        Tensor rstd = Tensor.zeros(be, rows);
        be.layerNormForward(x.buffer(op), weight == null ? null : weight.buffer(op),
                bias == null ? null : bias.buffer(op), rows, cols, eps, y.buffer(op), mean.buffer(op), rstd.buffer(op));
        if (!Grad.isEnabled() || !(x.requiresGrad() || requires(weight) || requires(bias))) {
            mean.close();
            rstd.close();
            return y;
        }
        return CustomOp.record("layerNorm", y, new Tensor[] {mean, rstd}, g -> {
            String bop = "LayerNorm backward";
            Tensor gx = x.requiresGrad() ? Tensor.zeros(be, x.shape()) : null;
            Tensor gw = requires(weight) ? Tensor.zeros(be, normalizedShape) : null;
            Tensor gb = requires(bias) ? Tensor.zeros(be, normalizedShape) : null;
            be.layerNormBackward(g.buffer(bop), x.buffer(bop), mean.buffer(bop), rstd.buffer(bop),
                    weight == null ? null : weight.buffer(bop), rows, cols,
                    gx == null ? null : gx.buffer(bop), gw == null ? null : gw.buffer(bop),
                    gb == null ? null : gb.buffer(bop));
            return new Tensor[] {gx, gw, gb};
        }, x, weight, bias);
    }

    static boolean requires(Tensor t) {
        return t != null && t.requiresGrad();
    }
}
