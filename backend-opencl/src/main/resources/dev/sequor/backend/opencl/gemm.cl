// GEMM: C_b = alpha * op(A_b) op(B_b) + beta * C_b for a batch of strided matrices.
//
// CPU devices (PoCL): A and B are first packed into zero-padded panels (A: MR rows interleaved per
// k step, B: NR columns per k step), which removes transposes, leading dimensions and edges from the
// inner loop; then one work-item per MR x NR tile of C runs a register-blocked loop with work-group
// size 1, where the vector types map straight onto SIMD registers.
// GPU devices: a local-memory tiled kernel reads A and B through their strides directly.

#define MR 4
#define NR 16

// ap[((b * panels + p) * k + kk) * MR + r] = op(A_b)[p*MR + r][kk], zero past row m.
__kernel void pack_a(__global const float *a, long off, int ld, long bstride, int trans, int m, int k,
                     __global float *ap, long apBatch) {
    int kk = get_global_id(0);
    int p = get_global_id(1);
    long b = get_global_id(2);
    if (kk >= k) return;
    __global const float *src = a + off + b * bstride;
    __global float *dst = ap + b * apBatch + ((long) p * k + kk) * MR;
    for (int r = 0; r < MR; r++) {
        int row = p * MR + r;
        dst[r] = row < m ? (trans ? src[(long) kk * ld + row] : src[(long) row * ld + kk]) : 0.0f;
    }
}

// bp[((b * panels + q) * k + kk) * NR + c] = op(B_b)[kk][q*NR + c], zero past column n.
__kernel void pack_b(__global const float *bm, long off, int ld, long bstride, int trans, int n, int k,
                     __global float *bp, long bpBatch) {
    int kk = get_global_id(0);
    int q = get_global_id(1);
    long b = get_global_id(2);
    if (kk >= k) return;
    __global const float *src = bm + off + b * bstride;
    __global float *dst = bp + b * bpBatch + ((long) q * k + kk) * NR;
    for (int c = 0; c < NR; c++) {
        int col = q * NR + c;
        dst[c] = col < n ? (trans ? src[(long) col * ld + kk] : src[(long) kk * ld + col]) : 0.0f;
    }
}

// Writes one row of a tile: beta == 0 must not read C (NaN there must not leak).
inline void seq_store_row(__global float *crow, int cols, float16 acc, float alpha, float beta) {
    if (cols == NR) {
        float16 v = alpha * acc;
        if (beta != 0) v = v + beta * vload16(0, crow);
        vstore16(v, 0, crow);
        return;
    }
    float t[NR];
    vstore16(acc, 0, t);
    for (int c = 0; c < cols; c++) {
        float v = alpha * t[c];
        crow[c] = beta != 0 ? v + beta * crow[c] : v;
    }
}

__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void gemm_packed(__global const float *ap, long apBatch, __global const float *bp, long bpBatch,
                 __global float *c, long cOff, int ldc, long cBatch, int m, int n, int k,
                 float alpha, float beta) {
    int q = get_global_id(0);
    int p = get_global_id(1);
    long b = get_global_id(2);
    __global const float4 *pa = (__global const float4 *) (ap + b * apBatch + (long) p * k * MR);
    __global const float16 *pb = (__global const float16 *) (bp + b * bpBatch + (long) q * k * NR);
    float16 c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (int kk = 0; kk < k; kk++) {
        float4 av = pa[kk];
        float16 bv = pb[kk];
        c0 = fma((float16) av.s0, bv, c0);
        c1 = fma((float16) av.s1, bv, c1);
        c2 = fma((float16) av.s2, bv, c2);
        c3 = fma((float16) av.s3, bv, c3);
    }
    int row = p * MR;
    int col = q * NR;
    int cols = min(NR, n - col);
    __global float *cb = c + cOff + b * cBatch + (long) row * ldc + col;
    if (row + 0 < m) seq_store_row(cb, cols, c0, alpha, beta);
    if (row + 1 < m) seq_store_row(cb + ldc, cols, c1, alpha, beta);
    if (row + 2 < m) seq_store_row(cb + 2L * ldc, cols, c2, alpha, beta);
    if (row + 3 < m) seq_store_row(cb + 3L * ldc, cols, c3, alpha, beta);
}

// C = beta * C (or 0 when beta == 0, without reading C): the whole product when k == 0.
__kernel void gemm_scale(__global float *c, long cOff, int ldc, long cBatch, int m, int n, float beta) {
    int col = get_global_id(0);
    int row = get_global_id(1);
    long b = get_global_id(2);
    if (col >= n || row >= m) return;
    __global float *p = c + cOff + b * cBatch + (long) row * ldc + col;
    *p = beta == 0 ? 0.0f : beta * *p;
}

// GPU kernel: a TS x TS tile of C per work-group of (TS/WPT) x TS work-items, each computing WPT
// rows of one column; tiles of A and B go through local memory. Element (r, kk) of op(A) is at
// a[r * sar + kk * sak], so transposes are just swapped strides.
#define TS 32
#define WPT 8
#define RTS (TS / WPT)

__kernel __attribute__((reqd_work_group_size(TS, RTS, 1)))
void gemm_tiled(__global const float *a, long aOff, long sar, long sak, long aBatch,
                __global const float *bm, long bOff, long sbk, long sbc, long bBatch,
                __global float *c, long cOff, int ldc, long cBatch, int m, int n, int k,
                float alpha, float beta) {
    __local float As[TS][TS + 1];
    __local float Bs[TS][TS + 1];
    int lc = get_local_id(0);
    int lr = get_local_id(1);
    int col = get_group_id(0) * TS + lc;
    int row0 = get_group_id(1) * TS;
    long b = get_global_id(2);
    __global const float *ab = a + aOff + b * aBatch;
    __global const float *bb = bm + bOff + b * bBatch;
    float acc[WPT];
    for (int w = 0; w < WPT; w++) acc[w] = 0.0f;
    for (int t = 0; t < k; t += TS) {
        for (int w = 0; w < WPT; w++) {
            int r = lr + w * RTS;
            int ar = row0 + r;
            int ak = t + lc;
            As[r][lc] = (ar < m && ak < k) ? ab[ar * sar + ak * sak] : 0.0f;
            int bk = t + r;
            int bc = get_group_id(0) * TS + lc;
            Bs[r][lc] = (bk < k && bc < n) ? bb[bk * sbk + bc * sbc] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int kk = 0; kk < TS; kk++) {
            float bv = Bs[kk][lc];
            for (int w = 0; w < WPT; w++) acc[w] = fma(As[lr + w * RTS][kk], bv, acc[w]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (col >= n) return;
    for (int w = 0; w < WPT; w++) {
        int row = row0 + lr + w * RTS;
        if (row < m) {
            __global float *p = c + cOff + b * cBatch + (long) row * ldc + col;
            float v = alpha * acc[w];
            *p = beta != 0 ? v + beta * *p : v;
        }
    }
}
