// Shared by every Sequor kernel. One program is built from all .cl files, this one first.

// Contraction would fuse a*b+c into fma and change rounding: results must match the reference's
// separately rounded operations (and CounterRng bit for bit). GEMM asks for fma() explicitly.
#pragma OPENCL FP_CONTRACT OFF

#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define SEQ_HAS_DOUBLE 1
#endif

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

// Neumaier's compensated sum: error independent of n, as good as double accumulation for float data.
typedef struct { float s; float c; } seq_sum;

inline seq_sum seq_sum_add(seq_sum a, float v) {
    float t = a.s + v;
    if (fabs(a.s) >= fabs(v)) {
        a.c += (a.s - t) + v;
    } else {
        a.c += (v - t) + a.s;
    }
    a.s = t;
    return a;
}

inline float seq_sum_get(seq_sum a) {
    // Once the sum is infinite or NaN the compensation is meaningless (inf - inf).
    return isfinite(a.s) ? a.s + a.c : a.s;
}

// Transcendentals are evaluated in `real` and rounded once, like the reference backend: double
// where the device has it and is a CPU (full speed there), float on GPUs.
#if defined(SEQ_HAS_DOUBLE) && !defined(SEQ_GPU)
typedef double real;
#define R_SQRT_HALF 0.70710678118654752440
#define R_INV_SQRT_2PI 0.39894228040143267794
#define R_TWO_PI 6.28318530717958647693
#else
typedef float real;
#define R_SQRT_HALF 0.70710678118654752440f
#define R_INV_SQRT_2PI 0.39894228040143267794f
#define R_TWO_PI 6.28318530717958647693f
#endif

inline real seq_sum_real(seq_sum a) {
    return isfinite(a.s) ? (real) a.s + (real) a.c : (real) a.s;
}
