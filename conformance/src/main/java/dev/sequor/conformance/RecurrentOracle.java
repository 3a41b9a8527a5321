package dev.sequor.conformance;

/**
 * Double-precision definitions of the fused recurrent sequence kernels
 * ({@code Backend.lstmSequenceForward/Backward}, {@code gru...}, {@code rnn...}), written
 * straight from their Javadoc equations with explicit loops, independent of any backend: forward
 * over one direction with per-sequence lengths, then backpropagation through time.
 *
 * <p>Layouts as the SPI: sequences {@code (B, T, W)} row-major, weights {@code (G*H, H)}, states
 * {@code (B, H)}; gates in PyTorch's order (LSTM i, f, g, o; GRU r, z, n). {@code kind} is
 * {@code "lstm"}, {@code "gru"}, {@code "rnn-tanh"} or {@code "rnn-relu"}.
 */
public final class RecurrentOracle {

    /** Forward results: out (B, T, H), hN, cN (LSTM) as doubles. */
    public final double[] out;
    public final double[] hN;
    public final double[] cN;
    /** Backward results, filled by {@link #backward}. */
    public double[] gradXProj;
    public double[] gradWhh;
    public double[] gradBhh;
    public double[] gradH0;
    public double[] gradC0;

    private final String kind;
    private final int b;
    private final int t;
    private final int h;
    private final int g;
    private final int[] lengths;
    private final boolean reverse;
    private final float[] w;
    private final float[] bHh;
    // per (b, t): the values the step saw and made
    private final double[][] hPrev;
    private final double[][] cPrev;
    private final double[][] gate;   // activated gates
    private final double[][] pn;     // GRU: W_hn h + b_hn
    private final double[][] cell;

    /**
     * Runs the forward pass.
     *
     * @param bHh GRU recurrent bias (3H), else ignored
     * @param c0  LSTM initial cell, else ignored
     */
    public RecurrentOracle(String kind, int b, int t, int h, int[] lengths, boolean reverse, float[] xProj, float[] w,
                           float[] bHh, float[] h0, float[] c0) {
        this.kind = kind;
        this.b = b;
        this.t = t;
        this.h = h;
        this.g = kind.equals("lstm") ? 4 : kind.equals("gru") ? 3 : 1;
        this.lengths = lengths;
        this.reverse = reverse;
        this.w = w;
        this.bHh = bHh;
        out = new double[b * t * h];
        hN = new double[b * h];
        cN = new double[b * h];
        hPrev = new double[b * t][];
        cPrev = new double[b * t][];
        gate = new double[b * t][];
        pn = new double[b * t][];
        cell = new double[b * t][];
        for (int r = 0; r < b; r++) {
            double[] hs = new double[h];
            double[] cs = new double[h];
            for (int j = 0; j < h; j++) {
                hs[j] = h0[r * h + j];
                cs[j] = kind.equals("lstm") ? c0[r * h + j] : 0;
            }
            int len = lengths == null ? t : lengths[r];
            for (int s = 0; s < len; s++) {
                int time = reverse ? len - 1 - s : s;
                int k = r * t + time;
                hPrev[k] = hs.clone();
                cPrev[k] = cs.clone();
                double[] a = new double[g * h];
                for (int q = 0; q < g * h; q++) {
                    a[q] = xProj[k * g * h + q];
                }
                double[] rec = new double[g * h];
                for (int q = 0; q < g * h; q++) {
                    for (int j = 0; j < h; j++) {
                        rec[q] += (double) w[q * h + j] * hs[j];
                    }
                }
                step(k, a, rec, hs, cs);
                for (int j = 0; j < h; j++) {
                    out[k * h + j] = hs[j];
                }
            }
            for (int j = 0; j < h; j++) {
                hN[r * h + j] = hs[j];
                cN[r * h + j] = cs[j];
            }
        }
    }

    /** Visiting order of sequence r: the reverse direction visits t = len-1 .. 0 (inactive steps are skipped). */
    private void step(int k, double[] a, double[] rec, double[] hs, double[] cs) {
        double[] gt = new double[g * h];
        switch (kind) {
            case "lstm" -> {
                for (int j = 0; j < h; j++) {
                    double i = sig(a[j] + rec[j]);
                    double f = sig(a[h + j] + rec[h + j]);
                    double gg = Math.tanh(a[2 * h + j] + rec[2 * h + j]);
                    double o = sig(a[3 * h + j] + rec[3 * h + j]);
                    gt[j] = i;
                    gt[h + j] = f;
                    gt[2 * h + j] = gg;
                    gt[3 * h + j] = o;
                    cs[j] = f * cs[j] + i * gg;
                    hs[j] = o * Math.tanh(cs[j]);
                }
                cell[k] = cs.clone();
            }
            case "gru" -> {
                double[] p = new double[h];
                for (int j = 0; j < h; j++) {
                    double r = sig(a[j] + rec[j] + bHh[j]);
                    double z = sig(a[h + j] + rec[h + j] + bHh[h + j]);
                    p[j] = rec[2 * h + j] + bHh[2 * h + j];
                    double n = Math.tanh(a[2 * h + j] + r * p[j]);
                    gt[j] = r;
                    gt[h + j] = z;
                    gt[2 * h + j] = n;
                    hs[j] = (1 - z) * n + z * hs[j];
                }
                pn[k] = p;
            }
            default -> {
                for (int j = 0; j < h; j++) {
                    double v = a[j] + rec[j];
                    hs[j] = kind.equals("rnn-tanh") ? Math.tanh(v) : Math.max(v, 0);
                }
            }
        }
        gate[k] = gt;
    }

    /**
     * Backpropagation through time. Gradients may be null (zero).
     *
     * @param gradOut (B, T, H)
     * @param gradHN  (B, H)
     * @param gradCN  (B, H), LSTM only
     */
    public void backward(float[] gradOut, float[] gradHN, float[] gradCN) {
        gradXProj = new double[b * t * g * h];
        gradWhh = new double[g * h * h];
        gradBhh = new double[g * h];
        gradH0 = new double[b * h];
        gradC0 = new double[b * h];
        for (int r = 0; r < b; r++) {
            double[] dh = new double[h];
            double[] dc = new double[h];
            for (int j = 0; j < h; j++) {
                dh[j] = gradHN == null ? 0 : gradHN[r * h + j];
                dc[j] = gradCN == null ? 0 : gradCN[r * h + j];
            }
            int len = lengths == null ? t : lengths[r];
            for (int s = len - 1; s >= 0; s--) {
                int time = reverse ? len - 1 - s : s;
                int k = r * t + time;
                for (int j = 0; j < h; j++) {
                    dh[j] += gradOut == null ? 0 : gradOut[k * h + j];
                }
                double[] da = new double[g * h];      // gradient of xProj
                double[] dp = new double[g * h];      // gradient of h W_hh^T (+ b_hh)
                double[] dhPrev = new double[h];
                stepBack(k, dh, dc, da, dp, dhPrev);
                for (int q = 0; q < g * h; q++) {
                    gradXProj[k * g * h + q] = da[q];
                    gradBhh[q] += dp[q];
                    for (int j = 0; j < h; j++) {
                        gradWhh[q * h + j] += dp[q] * hPrev[k][j];
                        dhPrev[j] += dp[q] * w[q * h + j];
                    }
                }
                dh = dhPrev;
            }
            for (int j = 0; j < h; j++) {
                gradH0[r * h + j] = dh[j];
                gradC0[r * h + j] = dc[j];
            }
        }
    }

    /** One step back: fills da, dp and the direct part of dh_{t-1}; updates dc in place to dc_{t-1}. */
    private void stepBack(int k, double[] dh, double[] dc, double[] da, double[] dp, double[] dhPrev) {
        double[] gt = gate[k];
        for (int j = 0; j < h; j++) {
            switch (kind) {
                case "lstm" -> {
                    double i = gt[j];
                    double f = gt[h + j];
                    double gg = gt[2 * h + j];
                    double o = gt[3 * h + j];
                    double tc = Math.tanh(cell[k][j]);
                    double dct = dc[j] + dh[j] * o * (1 - tc * tc);
                    da[j] = dct * gg * i * (1 - i);
                    da[h + j] = dct * cPrev[k][j] * f * (1 - f);
                    da[2 * h + j] = dct * i * (1 - gg * gg);
                    da[3 * h + j] = dh[j] * tc * o * (1 - o);
                    dc[j] = dct * f;
                    for (int q = 0; q < 4; q++) {
                        dp[q * h + j] = da[q * h + j];
                    }
                }
                case "gru" -> {
                    double r = gt[j];
                    double z = gt[h + j];
                    double n = gt[2 * h + j];
                    double dan = dh[j] * (1 - z) * (1 - n * n);
                    da[2 * h + j] = dan;
                    da[h + j] = dh[j] * (hPrev[k][j] - n) * z * (1 - z);
                    da[j] = dan * pn[k][j] * r * (1 - r);
                    dp[j] = da[j];
                    dp[h + j] = da[h + j];
                    dp[2 * h + j] = dan * r;
                    dhPrev[j] += dh[j] * z;
                }
                default -> {
                    double y = out[k * h + j];
                    double d = kind.equals("rnn-tanh") ? 1 - y * y : (y > 0 ? 1 : 0);
                    da[j] = dh[j] * d;
                    dp[j] = da[j];
                }
            }
        }
    }

    private static double sig(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
