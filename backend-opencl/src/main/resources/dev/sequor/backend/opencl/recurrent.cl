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
