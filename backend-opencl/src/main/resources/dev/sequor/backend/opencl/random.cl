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

// Box-Muller on u1 = 1 - uniform(2i) in (0, 1] and u2 = uniform(2i + 1), in `real` as CounterRng
// does in double; on float-only devices this agrees to about 1e-6 relative, as the SPI allows.
__kernel void random_normal(__global float *out, long off, long n, float a, float b, ulong seed) {
    long i = get_global_id(0);
    if (i >= n) return;
    real u1 = 1 - (real) seq_uniform(seed, 2 * (ulong) i);
    real u2 = (real) seq_uniform(seed, 2 * (ulong) i + 1);
    float z = (float) (sqrt(-2 * log(u1)) * cos(R_TWO_PI * u2));
    out[off + i] = a + b * z;
}
