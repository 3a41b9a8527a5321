package dev.sequor.conformance;

import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.CounterRng;

/**
 * Scaled-dot-product attention in double precision, written straight from the maths in
 * {@link dev.sequor.spi.Backend#attentionForward} and {@link dev.sequor.spi.Backend#attentionBackward}.
 * Arrays are dense in the SPI layouts; {@code bias} is {@code (B, H, L, S)} dense or null.
 */
final class AttentionOracle {

    final double[] out;
    final double[] lse;
    final double[] gq;
    final double[] gk;
    final double[] gv;

    AttentionOracle(AttentionSpec sp, float[] q, float[] k, float[] v, float[] bias, float[] g) {
        int bhs = sp.problems();
        int l = sp.queries();
        int s = sp.keys();
        int e = sp.headDim();
        int ev = sp.valueDim();
        out = new double[bhs * l * ev];
        lse = new double[bhs * l];
        gq = new double[bhs * l * e];
        gk = new double[bhs * s * e];
        gv = new double[bhs * s * ev];
        for (int bh = 0; bh < bhs; bh++) {
            for (int i = 0; i < l; i++) {
                double[] sc = new double[s];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) {
                    double dot = 0;
                    for (int c = 0; c < e; c++) {
                        dot += (double) q[(bh * l + i) * e + c] * k[(bh * s + j) * e + c];
                    }
                    double b = bias == null ? 0 : bias[(bh * l + i) * s + j];
                    boolean hidden = b == Double.NEGATIVE_INFINITY || (sp.causal() && j > i + s - l);
                    sc[j] = hidden ? Double.NEGATIVE_INFINITY : sp.scale() * dot + b;
                    max = Math.max(max, sc[j]);
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    lse[bh * l + i] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < s; j++) {
                    sum += Math.exp(sc[j] - max);
                }
                lse[bh * l + i] = max + Math.log(sum);
                double[] p = new double[s];
                double[] d = new double[s];
                for (int j = 0; j < s; j++) {
                    p[j] = Math.exp(sc[j] - max) / sum;
                    d[j] = keep(sp, bh, i, j);
                }
                row(sp, bh, i, p, d, q, k, v, g);
            }
        }
    }

    private static double keep(AttentionSpec sp, int bh, int i, int j) {
        if (sp.dropout() == 0f) {
            return 1;
        }
        float rate = 1f - sp.dropout();
        long counter = ((long) bh * sp.queries() + i) * sp.keys() + j;
        return CounterRng.uniform(sp.seed(), counter) < rate ? 1.0 / rate : 0;
    }

    /** Output row i and its gradient contributions, from p (softmax) and d (dropout scale). */
    private void row(AttentionSpec sp, int bh, int i, double[] p, double[] d, float[] q, float[] k, float[] v, float[] g) {
        int l = sp.queries();
        int s = sp.keys();
        int e = sp.headDim();
        int ev = sp.valueDim();
        for (int c = 0; c < ev; c++) {
            double acc = 0;
            for (int j = 0; j < s; j++) {
                acc += p[j] * d[j] * v[(bh * s + j) * ev + c];
            }
            out[(bh * l + i) * ev + c] = acc;
        }
        if (g == null) {
            return;
        }
        double rowDot = 0;
        double[] dp = new double[s];
        for (int j = 0; j < s; j++) {
            double gv1 = 0;
            for (int c = 0; c < ev; c++) {
                gv1 += (double) g[(bh * l + i) * ev + c] * v[(bh * s + j) * ev + c];
                gv[(bh * s + j) * ev + c] += p[j] * d[j] * g[(bh * l + i) * ev + c];
            }
            dp[j] = d[j] * gv1;
            rowDot += p[j] * dp[j];
        }
        for (int j = 0; j < s; j++) {
            double ds = p[j] * (dp[j] - rowDot) * sp.scale();
            for (int c = 0; c < e; c++) {
                gq[(bh * l + i) * e + c] += ds * k[(bh * s + j) * e + c];
                gk[(bh * s + j) * e + c] += ds * q[(bh * l + i) * e + c];
            }
        }
    }
}
