// Index select / add and gather / scatter-add along the middle axis of (outer, n, inner) arrays.
// Indices are floats holding integers. A bad index is not used: the first one seen is recorded in
// err (err[0] = 1, err[1] = its float bits) and the host raises IndexOutOfBoundsException.
// The adds give each output column to one work-item that walks the indices in order, so repeated
// indices accumulate correctly and deterministically without atomics.

inline int seq_index(float v, int bound, __global int *err) {
    if (v >= 0 && v < bound && v == rint(v)) {
        return (int) v;
    }
    if (atomic_cmpxchg(err, 0, 1) == 0) {
        err[1] = as_int(v);
    }
    return -1;
}

__kernel void index_select(__global const float *x, int outer, int n, int inner, __global const float *idx,
                           int m, __global float *out, __global int *err) {
    long g = get_global_id(0);
    if (g >= (long) outer * m * inner) return;
    long i = g % inner;
    long t = g / inner;
    long j = t % m;
    long o = t / m;
    int r = seq_index(idx[j], n, err);
    if (r >= 0) out[g] = x[(o * n + r) * inner + i];
}

__kernel void index_add(__global const float *gr, int outer, int m, int inner, __global const float *idx,
                        int n, __global float *out, __global int *err) {
    long g = get_global_id(0);
    if (g >= (long) outer * inner) return;
    long o = g / inner;
    long i = g - o * inner;
    for (int j = 0; j < m; j++) {
        int r = seq_index(idx[j], n, err);
        if (r >= 0) out[(o * n + r) * inner + i] += gr[(o * m + j) * inner + i];
    }
}

__kernel void gather_kernel(__global const float *x, int outer, int n, int inner, __global const float *idx,
                            int m, __global float *out, __global int *err) {
    long g = get_global_id(0);
    if (g >= (long) outer * m * inner) return;
    long i = g % inner;
    long o = g / ((long) m * inner);
    int r = seq_index(idx[g], n, err);
    if (r >= 0) out[g] = x[(o * n + r) * inner + i];
}

__kernel void scatter_add(__global const float *gr, int outer, int m, int inner, __global const float *idx,
                          int n, __global float *out, __global int *err) {
    long g = get_global_id(0);
    if (g >= (long) outer * inner) return;
    long o = g / inner;
    long i = g - o * inner;
    for (int j = 0; j < m; j++) {
        long p = (o * m + j) * inner + i;
        int r = seq_index(idx[p], n, err);
        if (r >= 0) out[(o * n + r) * inner + i] += gr[p];
    }
}

// Checks every index first so that a bad one leaves `out` untouched, as the reference does.
__kernel void check_indices(__global const float *idx, long count, int n, __global int *err) {
    long g = get_global_id(0);
    if (g >= count) return;
    seq_index(idx[g], n, err);
}
