package dev.sequor.nn;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

/**
 * Root-mean-square normalization (Zhang and Sennrich, 2019), as PyTorch's {@code nn.RMSNorm}: over
 * the trailing {@code normalizedShape} dimensions, {@code y = x / sqrt(mean(x^2) + eps) * weight}.
 * Parameter {@code weight} (ones) when {@code elementwiseAffine}. A null {@code eps} means float32's
 * machine epsilon {@code 2^-23}, as PyTorch's {@code eps=None} ({@code torch.finfo(float32).eps}).
 */
public class RMSNorm extends Module implements Layer {

    /** {@code torch.finfo(torch.float32).eps}, the default epsilon. */
    public static final float FLOAT32_EPS = Math.ulp(1f);

    private final int[] normalizedShape;
    private final float eps;
    private final Tensor weight;

    /** Over the last axis of size {@code dim}, default eps, with a weight, on the session backend. */
    public RMSNorm(int dim) {
        this(Backends.get(), new int[] {dim}, null, true);
    }

    /** @param eps null for {@link #FLOAT32_EPS} */
    public RMSNorm(Backend backend, int[] normalizedShape, Float eps, boolean elementwiseAffine) {
        super(backend);
        this.normalizedShape = NormShapes.positive("RMSNorm", normalizedShape);
        this.eps = eps == null ? FLOAT32_EPS : eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(backend, normalizedShape)) : null;
    }

    /**
     * @param x {@code (..., *normalizedShape)}
     * @return {@code x}'s shape
     * @throws IllegalArgumentException naming both shapes if {@code x} does not end in {@code normalizedShape}
     */
    @Override
    public Tensor forward(Tensor x) {
        return Functional.rmsNorm(x, normalizedShape, weight, eps);
    }

    /** @return the scale, or null without affine parameters */
    public Tensor weight() {
        return weight;
    }

    /** @return epsilon */
    public float eps() {
        return eps;
    }
}
