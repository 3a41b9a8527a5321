package dev.sequor.backend.opencl;

import dev.sequor.spi.Buffer;
import org.jocl.cl_mem;

/**
 * The fused kernels this backend overrides: layer normalisation and softmax cross-entropy, each one
 * row-per-work-item kernel (plus a column kernel for the layer-norm parameter gradients) instead of
 * the defaults' chains of primitives and temporaries. Same maths and roundings as core's defaults
 * ({@link dev.sequor.spi.Backend}); the conformance kit holds them to it.
 */
final class FusedKernels {

    private final OpenClBackend owner;
    private final ClRuntime rt;
    private final IndexKernels index;

    FusedKernels(OpenClBackend owner, ClRuntime rt, IndexKernels index) {
        this.owner = owner;
        this.rt = rt;
        this.index = index;
    }

    void layerNormForward(Buffer x, Buffer gamma, Buffer beta, int rows, int cols, float eps,
                          Buffer y, Buffer mean, Buffer rstd) {
        String op = "layerNormForward";
        long n = Checks.sizes(op, rows, cols, 1);
        cl_mem xm = input(op, "x", x, n);
        cl_mem gm = optional(op, "gamma", gamma, cols, xm);
        cl_mem bm = optional(op, "beta", beta, cols, xm);
        cl_mem ym = input(op, "y", y, n);
        cl_mem mm = input(op, "mean", mean, rows);
        cl_mem rm = input(op, "rstd", rstd, rows);
        rt.launch1("ln_fwd", rows, xm, gm, bm, gamma != null ? 1 : 0, beta != null ? 1 : 0, rows, cols, eps,
                ym, mm, rm);
    }

    void layerNormBackward(Buffer gy, Buffer x, Buffer mean, Buffer rstd, Buffer gamma, int rows, int cols,
                           Buffer gx, Buffer gGamma, Buffer gBeta) {
        String op = "layerNormBackward";
        long n = Checks.sizes(op, rows, cols, 1);
        cl_mem gym = input(op, "gy", gy, n);
        cl_mem xm = input(op, "x", x, n);
        cl_mem mm = input(op, "mean", mean, rows);
        cl_mem rm = input(op, "rstd", rstd, rows);
        cl_mem gm = optional(op, "gamma", gamma, cols, xm);
        cl_mem gxm = optional(op, "gx", gx, n, null);
        cl_mem ggm = optional(op, "gGamma", gGamma, cols, xm);
        cl_mem gbm = optional(op, "gBeta", gBeta, cols, xm);
        synchronized (rt) {
            if (gxm != null) {
                rt.launch1("ln_bwd_gx", rows, gym, xm, mm, rm, gm, gamma != null ? 1 : 0, rows, cols, gxm);
            }
            if (gGamma != null || gBeta != null) {
                // rows == 0 still writes zeros: an empty sum
                rt.launchVec("ln_bwd_params", cols, gym, xm, mm, rm, rows, cols, gGamma != null ? 1 : 0,
                        gBeta != null ? 1 : 0, ggm, gbm);
            }
        }
    }

    void crossEntropyForward(Buffer logits, Buffer targets, int rows, int classes, int ignoreIndex,
                             float labelSmoothing, Buffer loss, Buffer logProbs) {
        String op = "crossEntropyForward";
        long n = Checks.sizes(op, rows, classes, 1);
        cl_mem xm = input(op, "logits", logits, n);
        cl_mem tm = input(op, "targets", targets, rows);
        cl_mem lm = input(op, "loss", loss, rows);
        cl_mem pm = input(op, "logProbs", logProbs, n);
        if (rows == 0) {
            return;
        }
        synchronized (rt) {
            index.checkTargets(op, tm, rows, classes, ignoreIndex);
            rt.launch1("ce_fwd", rows, xm, tm, rows, classes, (float) ignoreIndex, labelSmoothing, lm, pm);
        }
    }

    void crossEntropyBackward(Buffer logProbs, Buffer targets, Buffer gradLoss, int rows, int classes,
                              int ignoreIndex, float labelSmoothing, Buffer gradLogits) {
        String op = "crossEntropyBackward";
        long n = Checks.sizes(op, rows, classes, 1);
        cl_mem pm = input(op, "logProbs", logProbs, n);
        cl_mem tm = input(op, "targets", targets, rows);
        cl_mem gm = input(op, "gradLoss", gradLoss, rows);
        cl_mem gxm = input(op, "gradLogits", gradLogits, n);
        if (rows == 0 || classes == 0) {
            return;
        }
        synchronized (rt) {
            index.checkTargets(op, tm, rows, classes, ignoreIndex);
            rt.launch1("ce_bwd", rows, pm, tm, gm, rows, classes, (float) ignoreIndex, labelSmoothing, gxm);
        }
    }

    private cl_mem input(String op, String role, Buffer b, long n) {
        cl_mem m = Checks.mem(owner, op, role, b);
        Checks.range(op, role, 0, n, b.length());
        return m;
    }

    /** A buffer that may be null; a kernel then reads {@code stand-in} (never dereferenced) instead. */
    private cl_mem optional(String op, String role, Buffer b, long n, cl_mem standIn) {
        return b == null ? standIn : input(op, role, b, n);
    }
}
