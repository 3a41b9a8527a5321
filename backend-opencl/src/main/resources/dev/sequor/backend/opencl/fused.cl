// Fused kernels that override the SPI's defaults (dev.sequor.spi.defaults): layer normalisation and
// softmax cross-entropy, one work-item per row, with the same roundings as the defaults' chains of
// primitives (each intermediate rounded to float in the same order) but one pass over memory.

// y = ((x - mu) * rstd) * gamma + beta, mu and the biased variance by compensated sums.
__kernel void ln_fwd(__global const float *x, __global const float *gamma, __global const float *beta,
                     int hasGamma, int hasBeta, int rows, int cols, float eps,
                     __global float *y, __global float *mean, __global float *rstd) {
    long r = get_global_id(0);
    if (r >= rows) return;
    __global const float *p = x + r * cols;
    __global float *q = y + r * cols;
    float mu = seq_row_sum(p, cols) / (float) cols;
    VT vmu = (VT) (mu);
    VT s = 0, c = 0;
    int j = 0;
    for (; j + VEC <= cols; j += VEC) {
        VT d = VLOAD(0, p + j) - vmu;
        seq_nadd_v(&s, &c, d * d);
    }
    float S = 0, C = 0;
    seq_nfold(s, c, &S, &C);
    for (; j < cols; j++) {
        float d = p[j] - mu;
        seq_nadd_f(&S, &C, d * d);
    }
    float rs = 1.0f / sqrt(seq_nget_f(S, C) / (float) cols + eps);
    mean[r] = mu;
    rstd[r] = rs;
    for (j = 0; j + VEC <= cols; j += VEC) {
        VT v = (VLOAD(0, p + j) - vmu) * (VT) (rs);
        if (hasGamma) v = v * VLOAD(0, gamma + j);
        if (hasBeta) v = v + VLOAD(0, beta + j);
        VSTORE(v, 0, q + j);
    }
    for (; j < cols; j++) {
        float v = (p[j] - mu) * rs;
        if (hasGamma) v = v * gamma[j];
        if (hasBeta) v = v + beta[j];
        q[j] = v;
    }
}

// gx = ((g - mean_j g) - xhat * mean_j(g xhat)) * rstd, g = gy * gamma, xhat = (x - mu) * rstd.
__kernel void ln_bwd_gx(__global const float *gy, __global const float *x, __global const float *mean,
                        __global const float *rstd, __global const float *gamma, int hasGamma, int rows, int cols,
                        __global float *gx) {
    long r = get_global_id(0);
    if (r >= rows) return;
    __global const float *pg = gy + r * cols;
    __global const float *px = x + r * cols;
    __global float *q = gx + r * cols;
    float mu = mean[r];
    float rs = rstd[r];
    VT s1 = 0, c1 = 0, s2 = 0, c2 = 0;
    int j = 0;
    for (; j + VEC <= cols; j += VEC) {
        VT xh = (VLOAD(0, px + j) - (VT) (mu)) * (VT) (rs);
        VT g = VLOAD(0, pg + j);
        if (hasGamma) g = g * VLOAD(0, gamma + j);
        seq_nadd_v(&s1, &c1, g);
        seq_nadd_v(&s2, &c2, g * xh);
    }
    float S1 = 0, C1 = 0, S2 = 0, C2 = 0;
    seq_nfold(s1, c1, &S1, &C1);
    seq_nfold(s2, c2, &S2, &C2);
    for (; j < cols; j++) {
        float xh = (px[j] - mu) * rs;
        float g = hasGamma ? pg[j] * gamma[j] : pg[j];
        seq_nadd_f(&S1, &C1, g);
        seq_nadd_f(&S2, &C2, g * xh);
    }
    float mg = seq_nget_f(S1, C1) / (float) cols;
    float mgx = seq_nget_f(S2, C2) / (float) cols;
    for (j = 0; j + VEC <= cols; j += VEC) {
        VT xh = (VLOAD(0, px + j) - (VT) (mu)) * (VT) (rs);
        VT g = VLOAD(0, pg + j);
        if (hasGamma) g = g * VLOAD(0, gamma + j);
        VSTORE(((g - (VT) (mg)) - xh * (VT) (mgx)) * (VT) (rs), 0, q + j);
    }
    for (; j < cols; j++) {
        float xh = (px[j] - mu) * rs;
        float g = hasGamma ? pg[j] * gamma[j] : pg[j];
        q[j] = ((g - mg) - xh * mgx) * rs;
    }
}

// gGamma[j] = sum_r gy[r, j] xhat[r, j], gBeta[j] = sum_r gy[r, j]: VEC neighbouring columns per
// work-item, walking down the rows.
__kernel void ln_bwd_params(__global const float *gy, __global const float *x, __global const float *mean,
                            __global const float *rstd, int rows, int cols, int wantGamma, int wantBeta,
                            __global float *gGamma, __global float *gBeta) {
    long j0 = get_global_id(0) * VEC;
    if (j0 >= cols) return;
    if (j0 + VEC <= cols) {
        VT sg = 0, cg = 0, sb = 0, cb = 0;
        for (int r = 0; r < rows; r++) {
            long o = (long) r * cols + j0;
            VT g = VLOAD(0, gy + o);
            VT xh = (VLOAD(0, x + o) - (VT) (mean[r])) * (VT) (rstd[r]);
            seq_nadd_v(&sg, &cg, g * xh);
            seq_nadd_v(&sb, &cb, g);
        }
        if (wantGamma) VSTORE(seq_nget_v(sg, cg), 0, gGamma + j0);
        if (wantBeta) VSTORE(seq_nget_v(sb, cb), 0, gBeta + j0);
        return;
    }
    for (long j = j0; j < cols; j++) {
        float Sg = 0, Cg = 0, Sb = 0, Cb = 0;
        for (int r = 0; r < rows; r++) {
            long o = (long) r * cols + j;
            float g = gy[o];
            seq_nadd_f(&Sg, &Cg, g * ((x[o] - mean[r]) * rstd[r]));
            seq_nadd_f(&Sb, &Cb, g);
        }
        if (wantGamma) gGamma[j] = seq_nget_f(Sg, Cg);
        if (wantBeta) gBeta[j] = seq_nget_f(Sb, Cb);
    }
}

// logProbs = log-softmax of the row; loss = -(1 - eps) lp[t] - (eps / C) sum_c lp[c], or 0 for an
// ignored row (even a non-finite one). Targets were checked on the host's request before launch.
__kernel void ce_fwd(__global const float *x, __global const float *targets, int rows, int classes,
                     float ignore, float eps, __global float *loss, __global float *logProbs) {
    long r = get_global_id(0);
    if (r >= rows) return;
    __global const float *p = x + r * classes;
    __global float *q = logProbs + r * classes;
    float m = seq_row_max(p, classes);
    float S = 0, C = 0;
    seq_row_sumexp(p, classes, m, &S, &C);
    float lse = seq_log_sum(S, C);
    int j = 0;
    for (; j + VEC <= classes; j += VEC) VSTORE((VLOAD(0, p + j) - (VT) (m)) - (VT) (lse), 0, q + j);
    for (; j < classes; j++) q[j] = (p[j] - m) - lse;
    float t = targets[r];
    if (t == ignore) {
        loss[r] = 0.0f;
        return;
    }
    float picked = -(1.0f - eps) * q[(int) t];
    if (eps != 0) picked = picked + (-eps / (float) classes) * seq_row_sum(q, classes);
    loss[r] = picked;
}

// gradLogits = gradLoss * (e^lp - eps / C - (1 - eps) [c == t]); an ignored row is multiplied by 0
// (so a non-finite saved row stays non-finite), its one-hot placed at class 0 as the default does.
__kernel void ce_bwd(__global const float *logProbs, __global const float *targets, __global const float *gradLoss,
                     int rows, int classes, float ignore, float eps, __global float *gradLogits) {
    long r = get_global_id(0);
    if (r >= rows) return;
    __global const float *p = logProbs + r * classes;
    __global float *q = gradLogits + r * classes;
    float t = targets[r];
    bool ignored = t == ignore;
    float rowGrad = ignored ? 0.0f : gradLoss[r];
    int hot = ignored ? 0 : (int) t;
    float sub = eps / (float) classes;
    int j = 0;
    for (; j + VEC <= classes; j += VEC) {
        VT e = exp(VLOAD(0, p + j));
        if (eps != 0) e = e - (VT) (sub);
        VSTORE(e * (VT) (rowGrad), 0, q + j);
    }
    for (; j < classes; j++) {
        float e = exp(p[j]);
        if (eps != 0) e = e - sub;
        q[j] = e * rowGrad;
    }
    float e = exp(p[hot]);
    if (eps != 0) e = e - sub;
    q[hot] = (e + -(1.0f - eps)) * rowGrad;
}

// Every target other than the ignore index must be an integer class id in [0, classes).
__kernel void check_targets(__global const float *targets, int rows, int classes, float ignore,
                            __global int *err) {
    long r = get_global_id(0);
    if (r >= rows) return;
    if (targets[r] != ignore) seq_index(targets[r], classes, err);
}
