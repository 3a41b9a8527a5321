// Reductions and softmax along the middle axis of a contiguous (outer, n, inner) array:
// element (o, j, i) is at (o*n + j)*inner + i.
//
// inner == 1 (rows, the common case: last-axis sums, softmax over logits or attention scores):
// one work-item per row, reading VEC contiguous floats at a time into VEC lane accumulators that
// are folded at the end. inner > 1: one work-item per (o, i) walks j (sum and mean take VEC
// neighbouring columns at once, for bias gradients).

// ---------------------------------------------------------------- rows (inner == 1)

// ln(S + C) for a compensated sum of e^(x_j - m), which is 1 + (the rest) since the maximum adds
// exactly 1: log1p of the rest keeps small log-sums accurate to the last bits (S - 1 is exact).
inline float seq_log_sum(float S, float C) {
    return isfinite(S) ? log1p((S - 1.0f) + C) : log(S);
}

inline float seq_row_sum(__global const float *p, int n) {
    VT s = 0, c = 0;
    int j = 0;
    for (; j + VEC <= n; j += VEC) seq_nadd_v(&s, &c, VLOAD(0, p + j));
    float S = 0, C = 0;
    seq_nfold(s, c, &S, &C);
    for (; j < n; j++) seq_nadd_f(&S, &C, p[j]);
    return seq_nget_f(S, C);
}

inline float seq_row_max(__global const float *p, int n) {
    VT m = (VT) (-INFINITY);
    int j = 0;
    for (; j + VEC <= n; j += VEC) m = seq_max_v(m, VLOAD(0, p + j));
    float r = seq_vmax_fold(m);
    for (; j < n; j++) r = seq_max_f(r, p[j]);
    return r;
}

inline float seq_row_min(__global const float *p, int n) {
    VT m = (VT) (INFINITY);
    int j = 0;
    for (; j + VEC <= n; j += VEC) m = seq_min_v(m, VLOAD(0, p + j));
    float r = seq_vmin_fold(m);
    for (; j < n; j++) r = seq_min_f(r, p[j]);
    return r;
}

// sum_j e^(p_j - m), compensated; returns the pair in (S, C).
inline void seq_row_sumexp(__global const float *p, int n, float m, float *S, float *C) {
    VT s = 0, c = 0;
    VT vm = (VT) (m);
    int j = 0;
    for (; j + VEC <= n; j += VEC) seq_nadd_v(&s, &c, exp(VLOAD(0, p + j) - vm));
    seq_nfold(s, c, S, C);
    for (; j < n; j++) seq_nadd_f(S, C, exp(p[j] - m));
}

__kernel void rows_SUM(__global const float *x, int outer, int n, __global float *out) {
    long o = get_global_id(0);
    if (o < outer) out[o] = seq_row_sum(x + o * n, n);
}

// n == 0 gives 0 / 0 = NaN, as the SPI says.
__kernel void rows_MEAN(__global const float *x, int outer, int n, __global float *out) {
    long o = get_global_id(0);
    if (o < outer) out[o] = seq_row_sum(x + o * n, n) / (float) n;
}

__kernel void rows_MAX(__global const float *x, int outer, int n, __global float *out) {
    long o = get_global_id(0);
    if (o < outer) out[o] = seq_row_max(x + o * n, n);
}

__kernel void rows_MIN(__global const float *x, int outer, int n, __global float *out) {
    long o = get_global_id(0);
    if (o < outer) out[o] = seq_row_min(x + o * n, n);
}

// An infinite or NaN maximum is the answer itself (and avoids inf - inf).
__kernel void rows_LOGSUMEXP(__global const float *x, int outer, int n, __global float *out) {
    long o = get_global_id(0);
    if (o >= outer) return;
    __global const float *p = x + o * n;
    float m = seq_row_max(p, n);
    if (isinf(m) || isnan(m)) {
        out[o] = m;
        return;
    }
    float S = 0, C = 0;
    seq_row_sumexp(p, n, m, &S, &C);
    out[o] = m + seq_log_sum(S, C);
}

// y_j = e^(x_j - m) / sum_k e^(x_k - m), or x_j - m - ln sum_k e^(x_k - m). A NaN makes the sum
// NaN and so every output, as in PyTorch; a row of all -Inf gives -Inf - (-Inf) = NaN.
__kernel void rows_softmax(__global const float *x, int outer, int n, int logOut, __global float *y) {
    long o = get_global_id(0);
    if (o >= outer) return;
    __global const float *p = x + o * n;
    __global float *q = y + o * n;
    float m = seq_row_max(p, n);
    float S = 0, C = 0;
    seq_row_sumexp(p, n, m, &S, &C);
    float sum = seq_nget_f(S, C);
    float lse = seq_log_sum(S, C);
    int j = 0;
    for (; j + VEC <= n; j += VEC) {
        VT sh = VLOAD(0, p + j) - (VT) (m);
        VSTORE(logOut ? sh - (VT) (lse) : exp(sh) / (VT) (sum), 0, q + j);
    }
    for (; j < n; j++) {
        float sh = p[j] - m;
        q[j] = logOut ? sh - lse : exp(sh) / sum;
    }
}

// gx_j = y_j (gy_j - sum_k gy_k y_k), or for log-softmax gx_j = gy_j - e^(y_j) sum_k gy_k.
__kernel void rows_softmax_bwd(__global const float *y, __global const float *gy, int outer, int n, int logOut,
                               __global float *gx) {
    long o = get_global_id(0);
    if (o >= outer) return;
    __global const float *py = y + o * n;
    __global const float *pg = gy + o * n;
    __global float *q = gx + o * n;
    VT s = 0, c = 0;
    int j = 0;
    for (; j + VEC <= n; j += VEC) {
        VT g = VLOAD(0, pg + j);
        seq_nadd_v(&s, &c, logOut ? g : g * VLOAD(0, py + j));
    }
    float S = 0, C = 0;
    seq_nfold(s, c, &S, &C);
    for (; j < n; j++) seq_nadd_f(&S, &C, logOut ? pg[j] : pg[j] * py[j]);
    float dot = seq_nget_f(S, C);
    for (j = 0; j + VEC <= n; j += VEC) {
        VT g = VLOAD(0, pg + j);
        VT v = VLOAD(0, py + j);
        VSTORE(logOut ? g - exp(v) * (VT) (dot) : v * (g - (VT) (dot)), 0, q + j);
    }
    for (; j < n; j++) q[j] = logOut ? pg[j] - exp(py[j]) * dot : py[j] * (pg[j] - dot);
}

// ---------------------------------------------------------------- columns (inner > 1)

// Sum or mean of VEC neighbouring columns per work-item: vector loads along a row, j walks down.
__kernel void cols_sum(__global const float *x, int outer, int n, int inner, int mean, __global float *out) {
    long chunks = (inner + VEC - 1) / VEC;
    long g = get_global_id(0);
    if (g >= (long) outer * chunks) return;
    long o = g / chunks;
    long i0 = (g - o * chunks) * VEC;
    __global const float *p = x + o * n * inner + i0;
    __global float *q = out + o * inner + i0;
    if (i0 + VEC <= inner) {
        VT s = 0, c = 0;
        for (int j = 0; j < n; j++) seq_nadd_v(&s, &c, VLOAD(0, p + (long) j * inner));
        VT r = seq_nget_v(s, c);
        VSTORE(mean ? r / (VT) ((float) n) : r, 0, q);
        return;
    }
    for (long e = 0; i0 + e < inner; e++) {
        float S = 0, C = 0;
        for (int j = 0; j < n; j++) seq_nadd_f(&S, &C, p[(long) j * inner + e]);
        float r = seq_nget_f(S, C);
        q[e] = mean ? r / (float) n : r;
    }
}

#define COL_PROLOGUE \
    long g = get_global_id(0); \
    if (g >= (long) outer * inner) return; \
    long o = g / inner; \
    long i = g - o * inner; \
    __global const float *p = x + o * n * inner + i;

__kernel void cols_MAX(__global const float *x, int outer, int n, int inner, __global float *out) {
    COL_PROLOGUE
    float m = -INFINITY;
    for (int j = 0; j < n; j++) m = seq_max_f(m, p[(long) j * inner]);
    out[g] = m;
}

__kernel void cols_MIN(__global const float *x, int outer, int n, int inner, __global float *out) {
    COL_PROLOGUE
    float m = INFINITY;
    for (int j = 0; j < n; j++) m = seq_min_f(m, p[(long) j * inner]);
    out[g] = m;
}

// The first index of the best value; the first NaN wins over any number. Any inner, rows included.
#define ARG_KERNEL(NAME, BETTER) \
__kernel void arg_##NAME(__global const float *x, int outer, int n, int inner, __global float *out) { \
    COL_PROLOGUE \
    int best = 0; \
    float bv = p[0]; \
    for (int j = 0; j < n; j++) { \
        float v = p[(long) j * inner]; \
        if (isnan(v)) { best = j; break; } \
        if (BETTER) { best = j; bv = v; } \
    } \
    out[g] = (float) best; \
}
ARG_KERNEL(ARGMAX, v > bv)
ARG_KERNEL(ARGMIN, v < bv)

inline float seq_col_max(__global const float *p, int n, int inner) {
    float m = -INFINITY;
    for (int j = 0; j < n; j++) m = seq_max_f(m, p[(long) j * inner]);
    return m;
}

inline void seq_col_sumexp(__global const float *p, int n, int inner, float m, float *S, float *C) {
    for (int j = 0; j < n; j++) seq_nadd_f(S, C, exp(p[(long) j * inner] - m));
}

__kernel void cols_LOGSUMEXP(__global const float *x, int outer, int n, int inner, __global float *out) {
    COL_PROLOGUE
    float m = seq_col_max(p, n, inner);
    float S = 0, C = 0;
    seq_col_sumexp(p, n, inner, m, &S, &C);
    out[g] = (isinf(m) || isnan(m)) ? m : m + seq_log_sum(S, C);
}

__kernel void cols_softmax(__global const float *x, int outer, int n, int inner, int logOut, __global float *y) {
    COL_PROLOGUE
    float m = seq_col_max(p, n, inner);
    float S = 0, C = 0;
    seq_col_sumexp(p, n, inner, m, &S, &C);
    float sum = seq_nget_f(S, C);
    float lse = seq_log_sum(S, C);
    __global float *q = y + o * n * inner + i;
    for (int j = 0; j < n; j++) {
        float sh = p[(long) j * inner] - m;
        q[(long) j * inner] = logOut ? sh - lse : exp(sh) / sum;
    }
}

__kernel void cols_softmax_bwd(__global const float *y, __global const float *gy, int outer, int n, int inner,
                               int logOut, __global float *gx) {
    long g = get_global_id(0);
    if (g >= (long) outer * inner) return;
    long o = g / inner;
    long i = g - o * inner;
    long base = o * n * inner + i;
    float S = 0, C = 0;
    for (int j = 0; j < n; j++) {
        long q = base + (long) j * inner;
        seq_nadd_f(&S, &C, logOut ? gy[q] : gy[q] * y[q]);
    }
    float dot = seq_nget_f(S, C);
    for (int j = 0; j < n; j++) {
        long q = base + (long) j * inner;
        gx[q] = logOut ? gy[q] - exp(y[q]) * dot : y[q] * (gy[q] - dot);
    }
}
