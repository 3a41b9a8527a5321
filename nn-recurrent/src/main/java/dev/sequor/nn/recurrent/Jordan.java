package dev.sequor.nn.recurrent;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

import java.util.ArrayList;
import java.util.List;

/**
 * A Jordan network over a batch-first sequence: {@link JordanCell} applied at every step with its own
 * output fed back. The input projection of all steps is one GEMM; the steps run in Tensor ops, so
 * autograd gives backpropagation through time.
 */
public class Jordan extends Module {

    private final JordanCell cell;

    /** A network on the session backend. */
    public Jordan(JordanConfig config) {
        this(Backends.get(), config);
    }

    /** A network on {@code backend}. */
    public Jordan(Backend backend, JordanConfig config) {
        super(backend);
        this.cell = registerModule("cell", new JordanCell(backend, config));
    }

    /**
     * @param x       (B, T, I)
     * @param y0      (B, O) initial fed-back output, or null for zeros
     * @param lengths per-sequence lengths in [1, T], or null for all T; past a length the output is
     *                zero and the fed-back state is held
     * @return (B, T, O), the outputs y_t
     */
    public Tensor forward(Tensor x, Tensor y0, int[] lengths) {
        JordanConfig c = cell.config();
        if (x.rank() != 3 || x.size(2) != c.inputSize()) {
            throw new IllegalArgumentException("Jordan: input " + Windows.str(x) + " must be (B, T, " + c.inputSize()
                    + ")");
        }
        int b = x.size(0);
        int t = x.size(1);
        int[] len = Lengths.orFull("Jordan", lengths, b, t);
        Tensor mask = lengths == null ? null : Lengths.mask(backend(), len, t);   // (B, T, 1)
        Tensor proj = cell.project(x);                                          // (B, T, H)
        Tensor y = y0 != null ? y0 : Tensor.zeros(backend(), b, c.outputSize());
        List<Tensor> outs = new ArrayList<>(t);
        for (int s = 0; s < t; s++) {
            Tensor next = cell.step(proj.select(1, s), y);                     // (B, O)
            if (mask != null) {
                Tensor m = mask.select(1, s);                                   // (B, 1)
                next = next.mul(m);
                y = next.add(y.mul(m.neg().add(1f)));
            } else {
                y = next;
            }
            outs.add(next);
        }
        return Tensor.stack(1, outs);                                           // (B, T, O)
    }

    /** @return the cell */
    public JordanCell cell() {
        return cell;
    }
}
