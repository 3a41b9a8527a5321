// Reductions and softmax along the middle axis of a contiguous (outer, n, inner) array:
// element (o, j, i) is at (o*n + j)*inner + i. One work-item per (o, i) walks j; neighbouring
// work-items read neighbouring addresses when inner > 1.

#define REDUCE_PROLOGUE \
    long g = get_global_id(0); \
    if (g >= (long) outer * inner) return; \
    long o = g / inner; \
    long i = g - o * inner; \
    __global const float *p = x + o * n * inner + i;

__kernel void reduce_SUM(__global const float *x, int outer, int n, int inner, __global float *out) {
    REDUCE_PROLOGUE
    seq_sum s = {0.0f, 0.0f};
    for (int j = 0; j < n; j++) s = seq_sum_add(s, p[(long) j * inner]);
    out[g] = seq_sum_get(s);
}

__kernel void reduce_MEAN(__global const float *x, int outer, int n, int inner, __global float *out) {
    REDUCE_PROLOGUE
    seq_sum s = {0.0f, 0.0f};
    for (int j = 0; j < n; j++) s = seq_sum_add(s, p[(long) j * inner]);
    // Divide the compensated pair, not a rounded float, so the mean rounds once more at most.
    out[g] = n == 0 ? NAN : (float) ((seq_sum_real(s)) / (real) n);
}

__kernel void reduce_MAX(__global const float *x, int outer, int n, int inner, __global float *out) {
    REDUCE_PROLOGUE
    float m = -INFINITY;
    for (int j = 0; j < n; j++) m = seq_max(m, p[(long) j * inner]);
    out[g] = m;
}

__kernel void reduce_MIN(__global const float *x, int outer, int n, int inner, __global float *out) {
    REDUCE_PROLOGUE
    float m = INFINITY;
    for (int j = 0; j < n; j++) m = seq_min(m, p[(long) j * inner]);
    out[g] = m;
}

// The first index of the best value; the first NaN wins over any number.
#define ARG_KERNEL(NAME, BETTER) \
__kernel void reduce_##NAME(__global const float *x, int outer, int n, int inner, __global float *out) { \
    REDUCE_PROLOGUE \
    int best = 0; \
    float bv = n > 0 ? p[0] : NAN; \
    for (int j = 0; j < n; j++) { \
        float v = p[(long) j * inner]; \
        if (isnan(v)) { best = j; break; } \
        if (BETTER) { best = j; bv = v; } \
    } \
    out[g] = (float) best; \
}
ARG_KERNEL(ARGMAX, v > bv)
ARG_KERNEL(ARGMIN, v < bv)

inline float seq_row_max(__global const float *p, int n, int inner) {
    float m = -INFINITY;
    for (int j = 0; j < n; j++) m = fmax(m, p[(long) j * inner]);
    return m;
}

inline seq_sum seq_row_sumexp(__global const float *p, int n, int inner, float m) {
    seq_sum s = {0.0f, 0.0f};
    for (int j = 0; j < n; j++) s = seq_sum_add(s, (float) exp((real) p[(long) j * inner] - (real) m));
    return s;
}

__kernel void reduce_LOGSUMEXP(__global const float *x, int outer, int n, int inner, __global float *out) {
    REDUCE_PROLOGUE
    float m = -INFINITY;
    for (int j = 0; j < n; j++) m = seq_max(m, p[(long) j * inner]);
    if (isinf(m) || isnan(m)) {
        out[g] = m;   // an infinite or NaN maximum is the answer itself
        return;
    }
    seq_sum s = seq_row_sumexp(p, n, inner, m);
    out[g] = (float) ((real) m + log(seq_sum_real(s)));
}

// y_j = e^(x_j - m) / sum_k e^(x_k - m), or x_j - m - ln sum_k e^(x_k - m). A NaN in the row makes
// the sum NaN and so every output, as in PyTorch; a row of all -Inf gives -Inf - (-Inf) = NaN.
__kernel void softmax_fwd(__global const float *x, int outer, int n, int inner, int logOut, __global float *y) {
    long g = get_global_id(0);
    if (g >= (long) outer * inner) return;
    long o = g / inner;
    long i = g - o * inner;
    long base = o * n * inner + i;
    float m = seq_row_max(x + base, n, inner);
    seq_sum s = seq_row_sumexp(x + base, n, inner, m);
    real sum = seq_sum_real(s);
    real logSum = log(sum);
    for (int j = 0; j < n; j++) {
        long q = base + (long) j * inner;
        real shifted = (real) x[q] - (real) m;
        y[q] = (float) (logOut ? shifted - logSum : exp(shifted) / sum);
    }
}

// gx_j = y_j (gy_j - sum_k gy_k y_k), or for log-softmax gx_j = gy_j - e^(y_j) sum_k gy_k.
__kernel void softmax_bwd(__global const float *y, __global const float *gy, int outer, int n, int inner,
                          int logOut, __global float *gx) {
    long g = get_global_id(0);
    if (g >= (long) outer * inner) return;
    long o = g / inner;
    long i = g - o * inner;
    long base = o * n * inner + i;
    seq_sum s = {0.0f, 0.0f};
    for (int j = 0; j < n; j++) {
        long q = base + (long) j * inner;
        s = seq_sum_add(s, logOut ? gy[q] : (float) ((real) gy[q] * (real) y[q]));
    }
    real sum = seq_sum_real(s);
    for (int j = 0; j < n; j++) {
        long q = base + (long) j * inner;
        gx[q] = (float) (logOut ? (real) gy[q] - exp((real) y[q]) * sum : (real) y[q] * ((real) gy[q] - sum));
    }
}
