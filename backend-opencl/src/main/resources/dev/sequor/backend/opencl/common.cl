// Shared by every Sequor kernel. One program is built from all .cl files, this one first.

// Contraction would fuse a*b+c into fma and change rounding: results must match the reference's
// separately rounded operations (and CounterRng bit for bit). Kernels ask for fma() explicitly.
#pragma OPENCL FP_CONTRACT OFF

#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define SEQ_HAS_DOUBLE 1
#endif

// Elements per work-item of the elementwise and row kernels. A CPU compiler turns one float16 into
// one AVX-512 register (PoCL does not vectorise across work-items for us: scalar kernels ran 10-100x
// slower); on GPUs, float4 keeps neighbouring work-items on neighbouring 16-byte words.
#ifdef SEQ_GPU
#define VEC 4
#define VT float4
#define VLOAD vload4
#define VSTORE vstore4
#else
#define VEC 16
#define VT float16
#define VLOAD vload16
#define VSTORE vstore16
#endif

// Helpers are written once over a type T and instantiated for T = float (suffix _f, scalar tails)
// and T = VT (suffix _v, vector bodies): select() and the relational functions work on both
// (a vector "true" is -1, whose sign bit select() tests). FN(name) gives the suffixed name.
#define PASTE_(a, b) a##_##b
#define PASTE(a, b) PASTE_(a, b)
#define FN(name) PASTE(name, TS)

// Strided operands: up to 8 dimensions, the host collapses mergeable ones so `rank` is small.
// shape is left-aligned in an int8; strides (in elements) in a long8.

// Splits the row-major position i over shape[0..rank) into a multi-index.
inline void seq_unravel(uint i, int rank, const int *shape, int *idx) {
    for (int d = rank - 1; d > 0; d--) {
        uint s = (uint) shape[d];
        uint q = i / s;
        idx[d] = (int) (i - q * s);
        i = q;
    }
    idx[0] = (int) i;
}

inline long seq_offset(const int *idx, const long *strides, int rank) {
    long o = 0;
    for (int d = 0; d < rank; d++) {
        o += (long) idx[d] * strides[d];
    }
    return o;
}

// VEC elements p[0], p[s], p[2s], ...: a vector load when contiguous, a broadcast for stride 0.
inline VT seq_vload(__global const float *p, long s) {
    if (s == 1) return VLOAD(0, p);
    if (s == 0) return (VT) (p[0]);
    float t[VEC];
    for (int e = 0; e < VEC; e++) t[e] = p[e * s];
    return VLOAD(0, t);
}

inline void seq_vstore(VT v, __global float *p, long s) {
    if (s == 1) {
        VSTORE(v, 0, p);
        return;
    }
    float t[VEC];
    VSTORE(v, 0, t);
    for (int e = 0; e < VEC; e++) p[e * s] = t[e];
}

// Neumaier's compensated sum (s, c): error independent of n, as good as double accumulation for
// float data. Once s is infinite or NaN the compensation is meaningless (inf - inf) and is dropped.
#define SUM_FNS \
inline void FN(seq_nadd)(T *s, T *c, T v) { \
    T t = *s + v; \
    *c += select((v - t) + *s, (*s - t) + v, fabs(*s) >= fabs(v)); \
    *s = t; \
} \
inline T FN(seq_nget)(T s, T c) { \
    return select(s, s + c, isfinite(s)); \
} \
/* Math.max / Math.min: NaN wins, and +0 is larger than -0. */ \
inline T FN(seq_max)(T x, T y) { \
    T r = select(y, x, (x > y) | ((x == y) & !signbit(x))); \
    return select(r, (T) (NAN), isnan(x) | isnan(y)); \
} \
inline T FN(seq_min)(T x, T y) { \
    T r = select(y, x, (x < y) | ((x == y) & signbit(x))); \
    return select(r, (T) (NAN), isnan(x) | isnan(y)); \
}

#define T float
#define TS f
SUM_FNS
#undef T
#undef TS
#define T VT
#define TS v
SUM_FNS
#undef T
#undef TS

// Folds the VEC lanes of a compensated vector sum into one (s, c) pair.
inline void seq_nfold(VT s, VT c, float *S, float *C) {
    float sa[VEC], ca[VEC];
    VSTORE(s, 0, sa);
    VSTORE(c, 0, ca);
    for (int l = 0; l < VEC; l++) {
        seq_nadd_f(S, C, sa[l]);
        *C += ca[l];
    }
}

inline float seq_vmax_fold(VT m) {
    float t[VEC];
    VSTORE(m, 0, t);
    float r = t[0];
    for (int l = 1; l < VEC; l++) r = seq_max_f(r, t[l]);
    return r;
}

inline float seq_vmin_fold(VT m) {
    float t[VEC];
    VSTORE(m, 0, t);
    float r = t[0];
    for (int l = 1; l < VEC; l++) r = seq_min_f(r, t[l]);
    return r;
}
