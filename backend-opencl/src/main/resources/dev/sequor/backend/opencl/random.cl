// Counter-based random fill, bit-identical to dev.sequor.spi.CounterRng for UNIFORM and BERNOULLI.

inline ulong seq_bits(ulong seed, ulong c) {
    ulong z = seed + (c + 1) * 0x9E3779B97F4A7C15UL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    return z ^ (z >> 31);
}

inline float seq_uniform(ulong seed, ulong i) {
    return (float) (seq_bits(seed, i) >> 40) * 0x1.0p-24f;
}

__kernel void random_uniform(__global float *out, long off, long n, float a, float b, ulong seed) {
    long i = get_global_id(0);
    if (i >= n) return;
    out[off + i] = a + (b - a) * seq_uniform(seed, (ulong) i);
}

__kernel void random_bernoulli(__global float *out, long off, long n, float a, float b, ulong seed) {
    long i = get_global_id(0);
    if (i >= n) return;
    out[off + i] = seq_uniform(seed, (ulong) i) < a ? 1.0f : 0.0f;
}

// Box-Muller on u1 = 1 - uniform(2i) in (0, 1] and u2 = uniform(2i + 1), in double as CounterRng
// does where the device has it (it is rare work: weight initialisation); otherwise in float, which
// agrees to about 1e-6 relative, as the SPI allows.
#ifdef SEQ_HAS_DOUBLE
typedef double rng_real;
#define RNG_TWO_PI 6.28318530717958647693
#else
typedef float rng_real;
#define RNG_TWO_PI 6.28318530717958647693f
#endif

__kernel void random_normal(__global float *out, long off, long n, float a, float b, ulong seed) {
    long i = get_global_id(0);
    if (i >= n) return;
    rng_real u1 = 1 - (rng_real) seq_uniform(seed, 2 * (ulong) i);
    rng_real u2 = (rng_real) seq_uniform(seed, 2 * (ulong) i + 1);
    float z = (float) (sqrt(-2 * log(u1)) * cos(RNG_TWO_PI * u2));
    out[off + i] = a + b * z;
}
