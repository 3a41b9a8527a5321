// Fused scaled-dot-product attention (Backend#attentionForward / attentionBackward), FlashAttention's
// way: no L x S score matrix is ever stored. Problem bh = b * heads + h; q (BH, L, E), k (BH, S, E),
// v (BH, S, Ev), o (BH, L, Ev), lse (BH, L). With a = i + S - L the key aligned with query i, key j is
// visible to query i iff a - wl <= j <= a + wr (the window), j <= a when causal, and its bias is not
// -Inf. Every loop runs over the visible range only (att_keys, att_queries), so a windowed call costs
// O(L (wl + wr + 1)) per problem; the host passes wl <= S and wr <= L (an unbounded side clamped to a
// width that already hides nothing), so the range arithmetic, done in long, cannot overflow. Dropout
// keeps weight (bh, i, j) iff CounterRng.uniform(seed, (bh * L + i) * S + j) < 1 - p and scales it by
// 1 / (1 - p), so forward, backward and every backend draw the same mask without storing it.
//
// Forward: one work-item per query row, keys in blocks of ATT_BC with an online softmax (running max m
// and sum l; the partial output is rescaled by e^(m_old - m_new) once per block). Backward: one
// work-item per query row for dQ (and D_i = g_i . o_i), then one per key row for dK and dV, each
// rebuilding p_ij = e^(s_ij - lse_i) from the saved lse; no atomics, memory O(L + S) per problem.

#define ATT_BC 16
// The widest head (E and Ev) the private-memory rows hold; wider heads take the SPI default.
#define ATT_MAXD 128

// The score s_ij = scale * (q_i . k_j) + bias_ij of one pair (-Inf where the bias excludes j).
inline float att_score(const float *qi, __global const float *kj, int E, float scale,
                       __global const float *bias, int hasBias, long bo) {
    float dot = 0.0f;
    for (int e = 0; e < E; e++) dot = fma(qi[e], kj[e], dot);
    float s = scale * dot;
    return hasBias ? s + bias[bo] : s;
}

// The dropout factor d_ij: 1 / (1 - p) if kept, 0 if dropped; 1 without dropout.
inline float att_keep(float dropout, ulong seed, ulong counter) {
    if (dropout == 0.0f) return 1.0f;
    float keep = 1.0f - dropout;
    return seq_uniform(seed, counter) < keep ? 1.0f / keep : 0.0f;
}

// The keys [x, y) query i sees: the window around its aligned key a, cut at a when causal, inside [0, S].
// x >= y for a query that sees none (L > S puts the first windows before key 0).
inline int2 att_keys(int causal, int wl, int wr, int i, int L, int S) {
    long a = (long) i + S - L;
    long lo = a - wl;
    long hi = (causal ? a : a + wr) + 1;
    return (int2) ((int) clamp(lo, 0L, (long) S), (int) clamp(hi, 0L, (long) S));
}

// The queries [x, y) that see key j, the inverse of att_keys: a - wl <= j and j <= a + wr (wr = 0 if causal).
inline int2 att_queries(int causal, int wl, int wr, int j, int L, int S) {
    long ja = (long) j - S + L; // the query whose aligned key is j
    long lo = ja - (causal ? 0 : wr);
    long hi = ja + wl + 1;
    return (int2) ((int) clamp(lo, 0L, (long) L), (int) clamp(hi, 0L, (long) L));
}

inline long att_bias_base(long4 bs, int bh, int heads) {
    return (long) (bh / heads) * bs.x + (long) (bh % heads) * bs.y;
}

__kernel void attn_fwd(__global const float *q, __global const float *k, __global const float *v,
                       __global const float *bias, int hasBias, long4 bs,
                       int problems, int heads, int L, int S, int E, int Ev, float scale, int causal,
                       int wl, int wr, float dropout, ulong seed, __global float *out, __global float *lse) {
    long g = get_global_id(0);
    if (g >= (long) problems * L) return;
    int bh = (int) (g / L);
    int i = (int) (g - (long) bh * L);
    float qi[ATT_MAXD];
    float acc[ATT_MAXD];
    for (int e = 0; e < E; e++) qi[e] = q[g * E + e];
    for (int e = 0; e < Ev; e++) acc[e] = 0.0f;
    float m = -INFINITY;
    float l = 0.0f;
    int2 keys = att_keys(causal, wl, wr, i, L, S);
    int end = keys.y;
    long bo = att_bias_base(bs, bh, heads) + (long) i * bs.z;
    ulong rbase = ((ulong) bh * L + i) * S;
    __global const float *kb = k + (long) bh * S * E;
    __global const float *vb = v + (long) bh * S * Ev;
    float sc[ATT_BC];
    for (int j0 = keys.x; j0 < end; j0 += ATT_BC) {
        int n = min(ATT_BC, end - j0);
        float mx = -INFINITY;
        for (int jj = 0; jj < n; jj++) {
            int j = j0 + jj;
            float s = att_score(qi, kb + (long) j * E, E, scale, bias, hasBias, bo + (long) j * bs.w);
            sc[jj] = s;
            mx = fmax(mx, s);
        }
        float mNew = fmax(m, mx);
        if (mNew == -INFINITY) continue; // every key so far is masked
        float alpha = exp(m - mNew);     // 0 on the first visible block (m = -Inf)
        l *= alpha;
        for (int e = 0; e < Ev; e++) acc[e] *= alpha;
        for (int jj = 0; jj < n; jj++) {
            float p = exp(sc[jj] - mNew);
            l += p;
            p *= att_keep(dropout, seed, rbase + j0 + jj);
            if (p != 0.0f) {
                __global const float *vj = vb + (long) (j0 + jj) * Ev;
                for (int e = 0; e < Ev; e++) acc[e] = fma(p, vj[e], acc[e]);
            }
        }
        m = mNew;
    }
    __global float *o = out + g * Ev;
    if (l == 0.0f) {
        for (int e = 0; e < Ev; e++) o[e] = 0.0f;
        lse[g] = -INFINITY;
    } else {
        float inv = 1.0f / l;
        for (int e = 0; e < Ev; e++) o[e] = acc[e] * inv;
        lse[g] = m + log(l);
    }
}

// dq_i = scale * sum_j p_ij (d_ij (g_i . v_j) - D_i) k_j, and D_i = g_i . o_i into rowDot.
__kernel void attn_bwd_dq(__global const float *q, __global const float *k, __global const float *v,
                          __global const float *bias, int hasBias, long4 bs,
                          int problems, int heads, int L, int S, int E, int Ev, float scale, int causal,
                          int wl, int wr, float dropout, ulong seed, __global const float *out,
                          __global const float *lse,
                          __global const float *gradOut, __global float *rowDot, __global float *gradQ) {
    long g = get_global_id(0);
    if (g >= (long) problems * L) return;
    int bh = (int) (g / L);
    int i = (int) (g - (long) bh * L);
    float qi[ATT_MAXD];
    float gi[ATT_MAXD];
    float dq[ATT_MAXD];
    float D = 0.0f;
    for (int e = 0; e < Ev; e++) {
        gi[e] = gradOut[g * Ev + e];
        D = fma(gi[e], out[g * Ev + e], D);
    }
    rowDot[g] = D;
    for (int e = 0; e < E; e++) {
        qi[e] = q[g * E + e];
        dq[e] = 0.0f;
    }
    float li = lse[g];
    int2 keys = att_keys(causal, wl, wr, i, L, S);
    int end = li == -INFINITY ? 0 : keys.y;
    long bo = att_bias_base(bs, bh, heads) + (long) i * bs.z;
    ulong rbase = ((ulong) bh * L + i) * S;
    __global const float *kb = k + (long) bh * S * E;
    __global const float *vb = v + (long) bh * S * Ev;
    for (int j = keys.x; j < end; j++) {
        __global const float *kj = kb + (long) j * E;
        float p = exp(att_score(qi, kj, E, scale, bias, hasBias, bo + (long) j * bs.w) - li);
        if (p == 0.0f) continue;
        __global const float *vj = vb + (long) j * Ev;
        float dp = 0.0f;
        for (int e = 0; e < Ev; e++) dp = fma(gi[e], vj[e], dp);
        float ds = p * (dp * att_keep(dropout, seed, rbase + j) - D);
        for (int e = 0; e < E; e++) dq[e] = fma(ds, kj[e], dq[e]);
    }
    for (int e = 0; e < E; e++) gradQ[g * E + e] = scale * dq[e];
}

// dv_j = sum_i p_ij d_ij g_i and dk_j = scale * sum_i p_ij (d_ij (g_i . v_j) - D_i) q_i, per key row.
__kernel void attn_bwd_dkv(__global const float *q, __global const float *k, __global const float *v,
                           __global const float *bias, int hasBias, long4 bs,
                           int problems, int heads, int L, int S, int E, int Ev, float scale, int causal,
                           int wl, int wr, float dropout, ulong seed, __global const float *lse,
                           __global const float *rowDot,
                           __global const float *gradOut, __global float *gradK, __global float *gradV) {
    long g = get_global_id(0);
    if (g >= (long) problems * S) return;
    int bh = (int) (g / S);
    int j = (int) (g - (long) bh * S);
    float kj[ATT_MAXD];
    float vj[ATT_MAXD];
    float dk[ATT_MAXD];
    float dv[ATT_MAXD];
    for (int e = 0; e < E; e++) {
        kj[e] = k[g * E + e];
        dk[e] = 0.0f;
    }
    for (int e = 0; e < Ev; e++) {
        vj[e] = v[g * Ev + e];
        dv[e] = 0.0f;
    }
    int2 rows = att_queries(causal, wl, wr, j, L, S);
    long bo = att_bias_base(bs, bh, heads) + (long) j * bs.w;
    __global const float *qb = q + (long) bh * L * E;
    __global const float *gb = gradOut + (long) bh * L * Ev;
    for (int i = rows.x; i < rows.y; i++) {
        long row = (long) bh * L + i;
        float li = lse[row];
        if (li == -INFINITY) continue;
        __global const float *qi = qb + (long) i * E;
        float dot = 0.0f;
        for (int e = 0; e < E; e++) dot = fma(qi[e], kj[e], dot);
        float s = scale * dot;
        if (hasBias) s += bias[bo + (long) i * bs.z];
        float p = exp(s - li);
        if (p == 0.0f) continue;
        float d = att_keep(dropout, seed, (ulong) row * S + j);
        __global const float *gi = gb + (long) i * Ev;
        float pd = p * d;
        float dp = 0.0f;
        for (int e = 0; e < Ev; e++) {
            dp = fma(gi[e], vj[e], dp);
            dv[e] = fma(pd, gi[e], dv[e]);
        }
        float ds = p * (dp * d - rowDot[row]);
        for (int e = 0; e < E; e++) dk[e] = fma(ds, qi[e], dk[e]);
    }
    for (int e = 0; e < E; e++) gradK[g * E + e] = scale * dk[e];
    for (int e = 0; e < Ev; e++) gradV[g * Ev + e] = dv[e];
}
