/*
 * The machine's float32 FMA peak: the ceiling against which bench/ states what fraction of the
 * hardware a kernel reaches. Each thread runs CHAINS independent chains acc = acc * b + c of
 * fused multiply-adds on full vector registers (more chains than FMA latency x FMA ports, so the
 * units never wait on a result) and nothing else: no loads, no stores. One FMA is 2 flops per lane.
 *
 * Prints one JSON line per instruction set the CPU has (AVX2+FMA: 8 lanes, AVX-512F: 16 lanes) and
 * thread count: the best of REPEATS timed runs, in GFLOP/s over all threads together.
 * Usage: fma_peak [threads...]   (default: 1 and the number of online CPUs)
 * Build: gcc -O2 -pthread fma_peak.c -o fma_peak   (bench/run-peak.sh does this)
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define CHAINS 12
#define ITERS 50000000L
#define REPEATS 5

typedef double (*kernel_fn)(long iters, float b, float c);

static volatile float sink;

/* CHAINS named accumulators rather than an array, so that every one stays in a register */
#define FMA_KERNEL(NAME, TARGET, VEC, LANES, SET1, FMADD, ADD, FIRST)                               \
    __attribute__((target(TARGET))) static double NAME(long iters, float b, float c) {              \
        VEC vb = SET1(b), vc = SET1(c);                                                              \
        VEC a0 = SET1(0), a1 = SET1(1), a2 = SET1(2), a3 = SET1(3), a4 = SET1(4), a5 = SET1(5);      \
        VEC a6 = SET1(6), a7 = SET1(7), a8 = SET1(8), a9 = SET1(9), a10 = SET1(10), a11 = SET1(11);  \
        for (long n = 0; n < iters; n++) {                                                           \
            a0 = FMADD(a0, vb, vc); a1 = FMADD(a1, vb, vc); a2 = FMADD(a2, vb, vc);                  \
            a3 = FMADD(a3, vb, vc); a4 = FMADD(a4, vb, vc); a5 = FMADD(a5, vb, vc);                  \
            a6 = FMADD(a6, vb, vc); a7 = FMADD(a7, vb, vc); a8 = FMADD(a8, vb, vc);                  \
            a9 = FMADD(a9, vb, vc); a10 = FMADD(a10, vb, vc); a11 = FMADD(a11, vb, vc);              \
        }                                                                                            \
        VEC s = ADD(ADD(ADD(a0, a1), ADD(a2, a3)), ADD(ADD(a4, a5), ADD(a6, a7)));                   \
        s = ADD(s, ADD(ADD(a8, a9), ADD(a10, a11)));                                                 \
        sink = FIRST(s);                                                                             \
        return (double) iters * CHAINS * LANES * 2;                                                  \
    }

FMA_KERNEL(fma_avx2, "avx2,fma", __m256, 8, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, _mm256_cvtss_f32)
FMA_KERNEL(fma_avx512, "avx512f", __m512, 16, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, _mm512_cvtss_f32)

struct job {
    kernel_fn fn;
    long iters;
    pthread_barrier_t *start;
    double flops;
};

static void *run(void *arg) {
    struct job *j = arg;
    pthread_barrier_wait(j->start);
    j->flops = j->fn(j->iters, 0.9999999f, 1e-7f);
    return NULL;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* GFLOP/s of `threads` threads running fn at once, best of REPEATS */
static double measure(kernel_fn fn, int threads) {
    double best = 0;
    for (int r = 0; r < REPEATS; r++) {
        pthread_t tid[threads];
        struct job jobs[threads];
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, threads + 1);
        for (int t = 0; t < threads; t++) {
            jobs[t] = (struct job) {fn, ITERS, &start, 0};
            pthread_create(&tid[t], NULL, run, &jobs[t]);
        }
        pthread_barrier_wait(&start);
        double t0 = now();
        double flops = 0;
        for (int t = 0; t < threads; t++) {
            pthread_join(tid[t], NULL);
            flops += jobs[t].flops;
        }
        double g = flops / (now() - t0) / 1e9;
        if (g > best) best = g;
        pthread_barrier_destroy(&start);
    }
    return best;
}

int main(int argc, char **argv) {
    int counts[16], n = 0;
    for (int i = 1; i < argc && n < 16; i++) counts[n++] = atoi(argv[i]);
    if (n == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        counts[n++] = 1;
        if (cpus > 1) counts[n++] = (int) cpus;
    }
    __builtin_cpu_init();
    struct { const char *isa; int lanes; kernel_fn fn; int ok; } isas[] = {
        {"avx2", 8, fma_avx2, __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")},
        {"avx512", 16, fma_avx512, __builtin_cpu_supports("avx512f")},
    };
    for (int i = 0; i < 2; i++) {
        if (!isas[i].ok) continue;
        for (int c = 0; c < n; c++) {
            printf("{\"isa\":\"%s\",\"lanes\":%d,\"threads\":%d,\"gflops\":%.1f}\n",
                   isas[i].isa, isas[i].lanes, counts[c], measure(isas[i].fn, counts[c]));
            fflush(stdout);
        }
    }
    return 0;
}
