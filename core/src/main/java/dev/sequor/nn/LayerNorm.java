package dev.sequor.nn;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

/**
 * Layer normalization (Ba, Kiros and Hinton, 2016), as PyTorch's {@code nn.LayerNorm}: over the
 * trailing {@code normalizedShape} dimensions of {@code x},
 * {@code y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias} with the biased variance. Parameters
 * {@code weight} (ones) and {@code bias} (zeros), shaped {@code normalizedShape}, when
 * {@code elementwiseAffine}. Runs the backend's fused layer-norm kernel forward and backward.
 */
public class LayerNorm extends Module implements Layer {

    /** PyTorch's default epsilon. */
    public static final float DEFAULT_EPS = 1e-5f;

    private final int[] normalizedShape;
    private final float eps;
    private final Tensor weight;
    private final Tensor bias;

    /** Over the last axis of size {@code dim}, eps 1e-5, with affine parameters, on the session backend. */
    public LayerNorm(int dim) {
        this(Backends.get(), new int[] {dim}, DEFAULT_EPS, true);
    }

    /** @param normalizedShape the trailing dimensions to normalise over */
    public LayerNorm(Backend backend, int[] normalizedShape, float eps, boolean elementwiseAffine) {
        super(backend);
        this.normalizedShape = NormShapes.positive("LayerNorm", normalizedShape);
        this.eps = eps;
        if (elementwiseAffine) {
            weight = registerParameter("weight", Tensor.ones(backend, normalizedShape));
            bias = registerParameter("bias", Tensor.zeros(backend, normalizedShape));
        } else {
            weight = null;
            bias = null;
        }
    }

    /**
     * @param x {@code (..., *normalizedShape)}
     * @return {@code x}'s shape
     * @throws IllegalArgumentException naming both shapes if {@code x} does not end in {@code normalizedShape}
     */
    @Override
    public Tensor forward(Tensor x) {
        return LayerNormOp.apply(x, normalizedShape, weight, bias, eps);
    }

    /** @return the scale, or null without affine parameters */
    public Tensor weight() {
        return weight;
    }

    /** @return the shift, or null without affine parameters */
    public Tensor bias() {
        return bias;
    }

    /** @return epsilon */
    public float eps() {
        return eps;
    }
}
