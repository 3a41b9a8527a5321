// The pointwise half of one LSTM step (the other half is the GEMM h_{t-1} W_hh^T, in rec):
// a = xProj[:, t, :] + rec, gates i, f, g, o; c_t = f * c + i * g; h_t = o * tanh(c_t). One
// work-item per (b, j). Rows inactive at t (t >= lengths[b]) keep their state and write zeros.
// Each product and sum is rounded in the default's order, so results match LstmDefault.
__kernel void lstm_cell(__global const float *rec, __global const float *xProj, __global const float *lengths,
                        int useLengths, int B, int T, int H, int t, __global float *hc, __global float *cc,
                        __global float *out, __global float *gates, __global float *cells) {
    long g = get_global_id(0);
    if (g >= (long) B * H) return;
    long b = g / H;
    long j = g - b * H;
    long G = 4L * H;
    long xo = (b * T + t) * G + j;
    long so = (b * T + t) * H + j;
    if (useLengths && !(t < lengths[b])) {
        gates[xo] = 0.0f;
        gates[xo + H] = 0.0f;
        gates[xo + 2 * H] = 0.0f;
        gates[xo + 3 * H] = 0.0f;
        cells[so] = 0.0f;
        out[so] = 0.0f;
        return;
    }
    __global const float *r = rec + b * G + j;
    float i = seq_sigmoid_f(r[0] + xProj[xo]);
    float f = seq_sigmoid_f(r[H] + xProj[xo + H]);
    float gg = tanh(r[2 * H] + xProj[xo + 2 * H]);
    float o = seq_sigmoid_f(r[3 * H] + xProj[xo + 3 * H]);
    float c = f * cc[g] + i * gg;
    float h = o * tanh(c);
    gates[xo] = i;
    gates[xo + H] = f;
    gates[xo + 2 * H] = gg;
    gates[xo + 3 * H] = o;
    cells[so] = c;
    out[so] = h;
    hc[g] = h;
    cc[g] = c;
}

// The pointwise half of one GRU step (gate order r, z, n; the reset gate applied to h W_hn^T + b_hn):
// p = rec + b_hh; r = sigmoid(x_r + p_r); z = sigmoid(x_z + p_z); n = tanh(x_n + r * p_n);
// h_t = n + z * (h - n). Saves [r, z, n] and p_n; inactive rows keep h and write zeros.
__kernel void gru_cell(__global const float *rec, __global const float *bHh, __global const float *xProj,
                       __global const float *lengths, int useLengths, int B, int T, int H, int t,
                       __global float *hc, __global float *out, __global float *gates, __global float *hiddenN) {
    long g = get_global_id(0);
    if (g >= (long) B * H) return;
    long b = g / H;
    long j = g - b * H;
    long G = 3L * H;
    long xo = (b * T + t) * G + j;
    long so = (b * T + t) * H + j;
    if (useLengths && !(t < lengths[b])) {
        gates[xo] = 0.0f;
        gates[xo + H] = 0.0f;
        gates[xo + 2 * H] = 0.0f;
        hiddenN[so] = 0.0f;
        out[so] = 0.0f;
        return;
    }
    __global const float *p = rec + b * G + j;
    float pr = p[0] + bHh[j];
    float pz = p[H] + bHh[H + j];
    float pn = p[2 * H] + bHh[2 * H + j];
    float r = seq_sigmoid_f(xProj[xo] + pr);
    float z = seq_sigmoid_f(xProj[xo + H] + pz);
    float n = tanh(xProj[xo + 2 * H] + r * pn);
    float h = n + z * (hc[g] - n);
    gates[xo] = r;
    gates[xo + H] = z;
    gates[xo + 2 * H] = n;
    hiddenN[so] = pn;
    out[so] = h;
    hc[g] = h;
}
