package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Dropout;
import dev.sequor.nn.LayerNorm;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

/**
 * The parts every Transformer layer shares: the position-wise feed-forward network
 * {@code FFN(x) = linear2(dropout(act(linear1(x))))} (Vaswani et al. 2017, eq. 2) and the residual
 * wiring {@code x + dropout(f(norm(x)))} (pre-norm) or {@code norm(x + dropout(f(x)))} (post-norm).
 * Registers its members straight on the owning layer so names are PyTorch's ({@code linear1},
 * {@code dropout}, {@code linear2}, {@code norm1}, ...).
 */
final class FeedForward {

    private final TransformerConfig config;
    private final Linear linear1;
    private final Dropout dropout;
    private final Linear linear2;

    FeedForward(Backend backend, TransformerConfig config, Registrar owner) {
        this.config = config;
        this.linear1 = owner.add("linear1", new Linear(backend, config.dModel(), config.dimFeedforward(), true,
                Seed.of(config.seed().value() * 31 + 11)));
        this.dropout = owner.add("dropout", new Dropout(config.dropout(), Seed.of(config.seed().value() * 31 + 12)));
        this.linear2 = owner.add("linear2", new Linear(backend, config.dimFeedforward(), config.dModel(), true,
                Seed.of(config.seed().value() * 31 + 13)));
    }

    /** Lets a layer register submodules from outside its class (Module.registerModule is protected). */
    @FunctionalInterface
    interface Registrar {
        <M extends Module> M add(String name, M module);
    }

    /** @return {@code linear2(dropout(act(linear1(x))))}, {@code (..., dModel)} */
    Tensor forward(Tensor x) {
        Tensor h = linear1.forward(x);
        h = config.activation() == TransformerConfig.Activation.RELU ? h.relu() : h.gelu();
        return linear2.forward(dropout.forward(h));
    }

    static LayerNorm norm(Backend backend, TransformerConfig config) {
        return new LayerNorm(backend, new int[] {config.dModel()}, config.layerNormEps(), true);
    }

    static Dropout dropout(TransformerConfig config, long salt) {
        return new Dropout(config.dropout(), Seed.of(config.seed().value() * 31 + salt));
    }
}
