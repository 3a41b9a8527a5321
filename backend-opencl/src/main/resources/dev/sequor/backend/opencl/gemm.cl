// GEMM: C_b = alpha * op(A_b) op(B_b) + beta * C_b for a batch of strided matrices.
//
// CPU devices (PoCL): A and B are first packed into zero-padded panels (A: MR rows interleaved per
// k step, B: NR columns per k step), which removes transposes, leading dimensions and edges from the
// inner loop; then one work-item per MR x NR tile of C runs a register-blocked loop with work-group
// size 1, where the vector types map straight onto SIMD registers.
// GPU devices: a local-memory tiled kernel reads A and B through their strides directly.

#define MR 8
#define NR 32

// Packing runs one work-item per panel (work-group size 1), walking k: each step is one short
// contiguous read for the untransposed operand, so the loop streams through cache lines.

// ap[((b * panels + p) * k + kk) * MR + r] = op(A_b)[p*MR + r][kk], zero past row m.
__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void pack_a(__global const float *a, long off, int ld, long bstride, int trans, int m, int k,
            __global float *ap, long apBatch) {
    int p = get_global_id(0);
    long b = get_global_id(1);
    __global const float *src = a + off + b * bstride;
    __global float *dst = ap + b * apBatch + (long) p * k * MR;
    int row0 = p * MR;
    if (trans && row0 + MR <= m) {
        for (int kk = 0; kk < k; kk++) {
            vstore8(vload8(0, src + (long) kk * ld + row0), kk, dst);
        }
        return;
    }
    int kk = 0;
    if (!trans && row0 + MR <= m) {
        // Rows run along k: read 16 k-steps of each row as one vector and scatter them into the
        // 16 * MR block of the panel, which stays in L1 while its MR rows are read.
        for (; kk + 16 <= k; kk += 16) {
            for (int r = 0; r < MR; r++) {
                float t[16];
                vstore16(vload16(0, src + (long) (row0 + r) * ld + kk), 0, t);
                for (int e = 0; e < 16; e++) dst[(long) (kk + e) * MR + r] = t[e];
            }
        }
    }
    for (int r = 0; r < MR; r++) {
        int row = row0 + r;
        for (int kq = kk; kq < k; kq++) {
            dst[(long) kq * MR + r] = row < m ? (trans ? src[(long) kq * ld + row] : src[(long) row * ld + kq]) : 0.0f;
        }
    }
}

// bp[((b * panels + q) * k + kk) * NR + c] = op(B_b)[kk][q*NR + c], zero past column n.
__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void pack_b(__global const float *bm, long off, int ld, long bstride, int trans, int n, int k,
            __global float *bp, long bpBatch) {
    int q = get_global_id(0);
    long b = get_global_id(1);
    __global const float *src = bm + off + b * bstride;
    __global float *dst = bp + b * bpBatch + (long) q * k * NR;
    int col0 = q * NR;
    if (!trans && col0 + NR <= n) {
        for (int kk = 0; kk < k; kk++) {
            vstore16(vload16(0, src + (long) kk * ld + col0), 2 * kk, dst);
            vstore16(vload16(1, src + (long) kk * ld + col0), 2 * kk + 1, dst);
        }
        return;
    }
    int kk = 0;
    if (trans && col0 + NR <= n) {
        // B^T (a Linear layer's weight): columns run along k, blocked as in pack_a.
        for (; kk + 16 <= k; kk += 16) {
            for (int c = 0; c < NR; c++) {
                float t[16];
                vstore16(vload16(0, src + (long) (col0 + c) * ld + kk), 0, t);
                for (int e = 0; e < 16; e++) dst[(long) (kk + e) * NR + c] = t[e];
            }
        }
    }
    for (int c = 0; c < NR; c++) {
        int col = col0 + c;
        for (int kq = kk; kq < k; kq++) {
            dst[(long) kq * NR + c] = col < n ? (trans ? src[(long) col * ld + kq] : src[(long) kq * ld + col]) : 0.0f;
        }
    }
}

// Writes one row of a tile (two float16 halves): beta == 0 must not read C (NaN there must not leak).
inline void seq_store_row(__global float *crow, int cols, float16 lo, float16 hi, float alpha, float beta) {
    if (cols == NR) {
        float16 vlo = alpha * lo;
        float16 vhi = alpha * hi;
        if (beta != 0) {
            vlo = vlo + beta * vload16(0, crow);
            vhi = vhi + beta * vload16(1, crow);
        }
        vstore16(vlo, 0, crow);
        vstore16(vhi, 1, crow);
        return;
    }
    float t[NR];
    vstore16(lo, 0, t);
    vstore16(hi, 1, t);
    for (int c = 0; c < cols; c++) {
        float v = alpha * t[c];
        crow[c] = beta != 0 ? v + beta * crow[c] : v;
    }
}

#define ACC_DECL(r) float16 l##r = 0, h##r = 0;
#define ACC_FMA(r) l##r = fma((float16) av[r], b0, l##r); h##r = fma((float16) av[r], b1, h##r);
#define ACC_STORE(r) if (row + r < m) seq_store_row(cb + (long) r * ldc, cols, l##r, h##r, alpha, beta);
#define FOR_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)

// One MR x NR tile of C per work-item: MR * 2 float16 accumulators stay in registers while k runs.
__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void gemm_packed(__global const float *ap, long apBatch, __global const float *bp, long bpBatch,
                 __global float *c, long cOff, int ldc, long cBatch, int m, int n, int k,
                 float alpha, float beta) {
    // Neighbouring work-groups share a B panel (NR * k floats, kept in L2) and stream A panels.
    int p = get_global_id(0);
    int q = get_global_id(1);
    long b = get_global_id(2);
    __global const float *pa = ap + b * apBatch + (long) p * k * MR;
    __global const float16 *pb = (__global const float16 *) (bp + b * bpBatch + (long) q * k * NR);
    FOR_ROWS(ACC_DECL)
    for (int kk = 0; kk < k; kk++) {
        float8 av8 = vload8(kk, pa);
        float av[8];
        vstore8(av8, 0, av);
        float16 b0 = pb[2 * kk];
        float16 b1 = pb[2 * kk + 1];
        FOR_ROWS(ACC_FMA)
    }
    int row = p * MR;
    int col = q * NR;
    int cols = min(NR, n - col);
    __global float *cb = c + cOff + b * cBatch + (long) row * ldc + col;
    FOR_ROWS(ACC_STORE)
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
