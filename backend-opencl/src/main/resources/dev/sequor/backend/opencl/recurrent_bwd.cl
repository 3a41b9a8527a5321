// The pointwise halves of the recurrent backwards (LstmDefault, GruDefault, RnnDefault in the SPI's
// defaults read the same saved layout: activated gates, c_t or p_n, and h_t in out). One work-item
// per (b, j) per step; the other half of each step is the GEMM dh_{t-1} = da_t W_hh, then rnn_carry.
// A row inactive at t (useLengths and t >= lengths[b]) writes zero gradients and passes dh (and dc)
// through. The state before step t was the one saved at the previously visited time prevT, or the
// initial state where there is none (prevT < 0) or the row was inactive there.

inline bool rnn_active(__global const float *lengths, int useLengths, long b, int t) {
    return t >= 0 && (!useLengths || t < lengths[b]);
}

// dh_t: the carried gradient plus the output's gradient at t.
inline float rnn_dh(__global const float *dh, __global const float *gradOut, int hasGradOut, long g, long so) {
    return hasGradOut ? dh[g] + gradOut[so] : dh[g];
}

__kernel void lstm_bwd_cell(__global const float *gates, __global const float *cells, __global const float *out,
                            __global const float *h0, __global const float *c0, __global const float *gradOut,
                            int hasGradOut, __global const float *lengths, int useLengths, int B, int T, int H,
                            int t, int prevT, __global float *dh, __global float *dc,
                            __global float *gradXProj, __global float *hPrev) {
    long g = get_global_id(0);
    if (g >= (long) B * H) return;
    long b = g / H;
    long j = g - b * H;
    long G = 4L * H;
    long xo = (b * T + t) * G + j;
    long so = (b * T + t) * H + j;
    if (!rnn_active(lengths, useLengths, b, t)) {
        gradXProj[xo] = 0.0f;
        gradXProj[xo + H] = 0.0f;
        gradXProj[xo + 2 * H] = 0.0f;
        gradXProj[xo + 3 * H] = 0.0f;
        hPrev[so] = 0.0f;
        return;
    }
    bool fromSaved = rnn_active(lengths, useLengths, b, prevT);
    long po = (b * T + prevT) * H + j;
    float cPrev = fromSaved ? cells[po] : c0[g];
    hPrev[so] = fromSaved ? out[po] : h0[g];
    float i = gates[xo];
    float f = gates[xo + H];
    float gg = gates[xo + 2 * H];
    float o = gates[xo + 3 * H];
    float tc = tanh(cells[so]);
    float dht = rnn_dh(dh, gradOut, hasGradOut, g, so);
    // the default's order: dc_t = dc + ((1 - tanh^2) * o) * dh_t
    float dct = dc[g] + ((1.0f - tc * tc) * o) * dht;
    gradXProj[xo] = (dct * gg) * ((1.0f - i) * i);
    gradXProj[xo + H] = (dct * cPrev) * ((1.0f - f) * f);
    gradXProj[xo + 2 * H] = (dct * i) * (1.0f - gg * gg);
    gradXProj[xo + 3 * H] = (dht * tc) * ((1.0f - o) * o);
    dc[g] = dct * f;
}

// dP (B, T, 3H) holds dp_t = [da_r, da_z, da_n r] for the dW_hh GEMM and db_hh; dhz = dh_t z is
// where the step's GEMM then adds dp_t W_hh (beta = 1).
__kernel void gru_bwd_cell(__global const float *gates, __global const float *hiddenN, __global const float *out,
                           __global const float *h0, __global const float *gradOut, int hasGradOut,
                           __global const float *lengths, int useLengths, int B, int T, int H, int t, int prevT,
                           __global const float *dh, __global float *dhz, __global float *gradXProj,
                           __global float *dP, __global float *hPrev) {
    long g = get_global_id(0);
    if (g >= (long) B * H) return;
    long b = g / H;
    long j = g - b * H;
    long G = 3L * H;
    long xo = (b * T + t) * G + j;
    long so = (b * T + t) * H + j;
    if (!rnn_active(lengths, useLengths, b, t)) {
        gradXProj[xo] = 0.0f;
        gradXProj[xo + H] = 0.0f;
        gradXProj[xo + 2 * H] = 0.0f;
        dP[xo] = 0.0f;
        dP[xo + H] = 0.0f;
        dP[xo + 2 * H] = 0.0f;
        hPrev[so] = 0.0f;
        dhz[g] = 0.0f;
        return;
    }
    bool fromSaved = rnn_active(lengths, useLengths, b, prevT);
    float hp = fromSaved ? out[(b * T + prevT) * H + j] : h0[g];
    hPrev[so] = hp;
    float r = gates[xo];
    float z = gates[xo + H];
    float n = gates[xo + 2 * H];
    float pn = hiddenN[so];
    float dht = rnn_dh(dh, gradOut, hasGradOut, g, so);
    float dan = (dht * (1.0f - z)) * (1.0f - n * n);
    float daz = (dht * (hp - n)) * ((1.0f - z) * z);
    float dar = (dan * pn) * ((1.0f - r) * r);
    gradXProj[xo] = dar;
    gradXProj[xo + H] = daz;
    gradXProj[xo + 2 * H] = dan;
    dP[xo] = dar;
    dP[xo + H] = daz;
    dP[xo + 2 * H] = dan * r;
    dhz[g] = dht * z;
}

// Elman RNN: da_t = (dh + gradOut[:, t]) * act'(h_t), act' = 1 - h^2 (tanh) or h > 0 (ReLU).
__kernel void rnn_bwd_cell(__global const float *out, __global const float *h0, __global const float *gradOut,
                           int hasGradOut, __global const float *lengths, int useLengths, int relu, int B, int T,
                           int H, int t, int prevT, __global const float *dh, __global float *gradXProj,
                           __global float *hPrev) {
    long g = get_global_id(0);
    if (g >= (long) B * H) return;
    long b = g / H;
    long j = g - b * H;
    long so = (b * T + t) * H + j;
    if (!rnn_active(lengths, useLengths, b, t)) {
        gradXProj[so] = 0.0f;
        hPrev[so] = 0.0f;
        return;
    }
    hPrev[so] = rnn_active(lengths, useLengths, b, prevT) ? out[(b * T + prevT) * H + j] : h0[g];
    float h = out[so];
    float d = relu ? (h > 0.0f ? 1.0f : 0.0f) : 1.0f - h * h;
    gradXProj[so] = rnn_dh(dh, gradOut, hasGradOut, g, so) * d;
}

// After a step's GEMM into rec: dh = rec for rows active at t; inactive rows keep dh.
__kernel void rnn_carry(__global const float *rec, __global const float *lengths, int useLengths, int B, int H,
                        int t, __global float *dh) {
    long g = get_global_id(0);
    if (g >= (long) B * H) return;
    if (rnn_active(lengths, useLengths, g / H, t)) dh[g] = rec[g];
}
