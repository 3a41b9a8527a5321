package dev.sequor.nn;

import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.util.Arrays;

/**
 * Batch normalization (Ioffe and Szegedy, 2015) over features, as PyTorch's {@code nn.BatchNorm1d}:
 * per feature {@code c}, {@code y = (x - mu_c) / sqrt(sigma_c^2 + eps) * weight_c + bias_c}.
 *
 * <p>In training, {@code mu_c} and the biased {@code sigma_c^2} are the batch's statistics, and the
 * buffers move towards them: {@code running_mean = (1 - m) running_mean + m mu},
 * {@code running_var = (1 - m) running_var + m sigma_unbiased^2} (the unbiased variance, as PyTorch),
 * with {@code m = momentum}, or {@code 1 / num_batches_tracked} (a cumulative average) when momentum
 * is null. In {@link #eval()} mode the running statistics are used. Without
 * {@code trackRunningStats} there are no buffers and batch statistics are used always.
 *
 * <p>Layouts: {@link #forward} takes PyTorch's {@code (B, C)} or channel-second {@code (B, C, T)};
 * {@link #forwardBatchFirst} takes Sequor's batch-first sequences {@code (B, T, C)}, normalising each
 * feature across batch and time. Parameters {@code weight} (ones), {@code bias} (zeros) and buffers
 * {@code running_mean} (zeros), {@code running_var} (ones), {@code num_batches_tracked} (rank 0)
 * carry PyTorch's state-dict names.
 */
public class BatchNorm1d extends Module implements Layer {

    private final int features;
    private final float eps;
    private final Float momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor batchesTracked;

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm1d(int numFeatures) {
        this(Backends.get(), numFeatures, 1e-5f, 0.1f, true, true);
    }

    /** @param momentum null for a cumulative moving average, as PyTorch's {@code momentum=None} */
    public BatchNorm1d(Backend backend, int numFeatures, float eps, Float momentum, boolean affine,
                       boolean trackRunningStats) {
        super(backend);
        if (numFeatures <= 0) {
            throw new IllegalArgumentException("BatchNorm1d: numFeatures must be positive, got " + numFeatures);
        }
        this.features = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        weight = affine ? registerParameter("weight", Tensor.ones(backend, numFeatures)) : null;
        bias = affine ? registerParameter("bias", Tensor.zeros(backend, numFeatures)) : null;
        runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(backend, numFeatures)) : null;
        runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(backend, numFeatures)) : null;
        batchesTracked = trackRunningStats ? registerIntegerBuffer("num_batches_tracked", Tensor.zeros(backend)) : null;
    }

    /**
     * @param x {@code (B, C)} or channel-second {@code (B, C, T)}, as PyTorch
     * @return {@code x}'s shape
     * @throws IllegalArgumentException naming the expected and actual shapes
     */
    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length == 2 && s[1] == features) {
            return normalize(x, s);
        }
        if (s.length == 3 && s[1] == features) {
            Tensor rows = x.permute(0, 2, 1).reshape(s[0] * s[2], features); // (B*T, C)
            return normalize(rows, s).reshape(s[0], s[2], features).permute(0, 2, 1);
        }
        throw new IllegalArgumentException("BatchNorm1d: expected input (B, " + features + ") or (B, " + features
                + ", T), got " + Arrays.toString(s));
    }

    /**
     * Batch normalization of batch-first sequences: each feature normalised across batch and time.
     *
     * @param x {@code (B, T, C)} (or {@code (B, C)})
     * @return {@code x}'s shape
     * @throws IllegalArgumentException naming the expected and actual shapes
     */
    public Tensor forwardBatchFirst(Tensor x) {
        int[] s = x.shape();
        if ((s.length == 2 || s.length == 3) && s[s.length - 1] == features) {
            return normalize(x.reshape(-1, features), s).reshape(s); // (B*T, C)
        }
        throw new IllegalArgumentException("BatchNorm1d: expected input (B, T, " + features + ") or (B, " + features
                + "), got " + Arrays.toString(s));
    }

    /** @param x {@code (N, C)} @return {@code (N, C)} */
    private Tensor normalize(Tensor x, int[] inputShape) {
        int n = x.size(0);
        Tensor y;
        if (isTraining() || runningMean == null) {
            if (isTraining() && n <= 1) {
                throw new IllegalArgumentException("BatchNorm1d: expected more than 1 value per channel when training,"
                        + " got input " + Arrays.toString(inputShape));
            }
            Tensor mean = x.mean(0, true); // (1, C)
            Tensor centered = x.sub(mean);
            Tensor var = centered.square().mean(0, true);
            if (isTraining() && runningMean != null) {
                updateRunningStats(mean, var, n);
            }
            y = centered.mul(var.add(eps).rsqrt());
        } else {
            y = x.sub(runningMean).mul(runningVar.add(eps).rsqrt());
        }
        return weight == null ? y : y.mul(weight).add(bias);
    }

    private void updateRunningStats(Tensor mean, Tensor var, int n) {
        try (Grad g = Grad.disabled()) {
            batchesTracked.addInPlace(batchesTracked.fullLike(1f), 1f);
            float m = momentum != null ? momentum : 1f / batchesTracked.item();
            runningMean.mulInPlace(1f - m).addInPlace(mean.reshape(features), m);
            runningVar.mulInPlace(1f - m).addInPlace(var.reshape(features).mul((float) n / (n - 1)), m);
        }
    }

    /** @return the scale, or null without affine parameters */
    public Tensor weight() {
        return weight;
    }

    /** @return the shift, or null without affine parameters */
    public Tensor bias() {
        return bias;
    }

    /** @return the running mean {@code (C)}, or null when not tracking */
    public Tensor runningMean() {
        return runningMean;
    }

    /** @return the running variance {@code (C)}, or null when not tracking */
    public Tensor runningVar() {
        return runningVar;
    }

    /** @return the number of training batches seen (rank 0), or null when not tracking */
    public Tensor numBatchesTracked() {
        return batchesTracked;
    }
}
