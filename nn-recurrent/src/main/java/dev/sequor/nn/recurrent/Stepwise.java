package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;
import dev.sequor.spi.RecurrentDims;

import java.util.Arrays;

/**
 * Runs a cell step by step with Tensor ops (many small autograd nodes): the path of variants the
 * fused kernels do not cover (peephole, coupled gates, layer norm, projection, Cho's GRU, zoneout),
 * and the oracle the fused kernels are tested against. Variable lengths follow {@link RecurrentDims}:
 * an inactive sequence keeps its state and outputs zeros.
 */
final class Stepwise {

    /** One time step: {@code (x_t projected (B, G*H), h, c) -> {h_t, c_t}} (c null for cells without one). */
    @FunctionalInterface
    interface Step {
        Tensor[] apply(Tensor xt, Tensor h, Tensor c);
    }

    private Stepwise() {
    }

    /**
     * @param xProj (B, T, G*H) input projections of every step
     * @return {out (B, T, hOut), hN, cN (or null)}
     */
    static Tensor[] run(Step step, Tensor xProj, Tensor h0, Tensor c0, int[] lengths, boolean reverse,
                        Zoneout zoneout) {
        int b = xProj.size(0);
        int steps = xProj.size(1);
        RecurrentDims d = new RecurrentDims(b, steps, 1, lengths, reverse);
        Tensor h = h0;
        Tensor c = c0;
        Tensor[] outs = new Tensor[steps];
        for (int s = 0; s < steps; s++) {
            int t = d.time(s);
            Tensor[] r = step.apply(xProj.select(1, t), h, c);
            Tensor hNew = r[0];
            Tensor cNew = r[1];
            if (zoneout != null) {
                hNew = zoneout.hidden(h, hNew);
                cNew = cNew == null ? null : zoneout.cell(c, cNew);
            }
            if (d.allActive(t)) {
                outs[t] = hNew;
            } else {
                Tensor m = mask(d, t, hNew);   // (B, 1)
                hNew = Tensor.where(m, hNew, h);
                cNew = cNew == null ? null : Tensor.where(m, cNew, c);
                outs[t] = hNew.mul(m);
            }
            h = hNew;
            c = cNew;
        }
        return new Tensor[] {Tensor.stack(1, Arrays.asList(outs)), h, c};
    }

    private static Tensor mask(RecurrentDims d, int t, Tensor like) {
        float[] m = new float[d.batch()];
        for (int b = 0; b < m.length; b++) {
            m[b] = d.active(b, t) ? 1f : 0f;
        }
        return Tensor.of(like.backend(), m, d.batch(), 1);
    }
}
