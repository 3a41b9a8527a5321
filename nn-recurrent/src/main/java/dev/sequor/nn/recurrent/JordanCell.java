package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

/**
 * One step of a Jordan network (Jordan 1986): unlike Elman's, the recurrence is through the output,
 * which is fed back as the "state units",
 * <pre>
 *   h_t = tanh(W_ih x_t + b_ih + W_yh y_{t-1})
 *   y_t = sigma_y(W_hy h_t + b_hy)
 * </pre>
 * with parameters {@code ih.weight (H, I)}, {@code ih.bias (H)}, {@code yh.weight (H, O)},
 * {@code hy.weight (O, H)}, {@code hy.bias (O)} (PyTorch's {@code Linear} initialisation).
 */
public class JordanCell extends Module {

    private final JordanConfig config;
    private final Linear ih;
    private final Linear yh;
    private final Linear hy;

    /** A cell on the session backend. */
    public JordanCell(JordanConfig config) {
        this(Backends.get(), config);
    }

    /** A cell on {@code backend}. */
    public JordanCell(Backend backend, JordanConfig config) {
        super(backend);
        this.config = config;
        long s = config.seed();
        this.ih = registerModule("ih", new Linear(backend, config.inputSize(), config.hiddenSize(), true, Seed.of(s)));
        this.yh = registerModule("yh", new Linear(backend, config.outputSize(), config.hiddenSize(), false, Seed.of(s + 1)));
        this.hy = registerModule("hy", new Linear(backend, config.hiddenSize(), config.outputSize(), true, Seed.of(s + 2)));
    }

    /**
     * @param x     (B, I)
     * @param yPrev (B, O), the previous output; zeros at the first step
     * @return y_t (B, O)
     */
    public Tensor forward(Tensor x, Tensor yPrev) {
        if (x.rank() != 2 || x.size(1) != config.inputSize() || yPrev.rank() != 2
                || yPrev.size(1) != config.outputSize() || yPrev.size(0) != x.size(0)) {
            throw new IllegalArgumentException("JordanCell: x " + Windows.str(x) + " must be (B, " + config.inputSize()
                    + ") and yPrev " + Windows.str(yPrev) + " (B, " + config.outputSize() + ")");
        }
        Tensor h = ih.forward(x).add(yh.forward(yPrev)).tanh();
        return activate(hy.forward(h));
    }

    /** The input's share {@code W_ih x + b_ih} for all steps at once: (B, T, I) -> (B, T, H). */
    Tensor project(Tensor x) {
        return ih.forward(x);
    }

    /** One step from a projected input {@code (B, H)}. */
    Tensor step(Tensor xProj, Tensor yPrev) {
        return activate(hy.forward(xProj.add(yh.forward(yPrev)).tanh()));
    }

    private Tensor activate(Tensor z) {
        return switch (config.outputActivation()) {
            case IDENTITY -> z;
            case TANH -> z.tanh();
            case SIGMOID -> z.sigmoid();
        };
    }

    /** @return the configuration */
    public JordanConfig config() {
        return config;
    }
}
