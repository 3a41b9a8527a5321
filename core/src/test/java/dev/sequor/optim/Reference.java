package dev.sequor.optim;

/** The update rules transcribed in double precision from PyTorch's documentation, one element at a time. */
interface Reference {

    /** Updates {@code p} in place for gradient {@code g} at step {@code t} (1-based). */
    void step(double[] p, float[] g, int t);

    static Reference sgd(SgdConfig o) {
        double[][] buf = new double[1][];
        return (p, g, t) -> {
            if (buf[0] == null) {
                buf[0] = new double[p.length];
            }
            for (int i = 0; i < p.length; i++) {
                double d = g[i] + o.weightDecay() * p[i];
                if (o.momentum() != 0) {
                    buf[0][i] = t == 1 ? d : o.momentum() * buf[0][i] + (1 - o.dampening()) * d;
                    d = o.nesterov() ? d + o.momentum() * buf[0][i] : buf[0][i];
                }
                p[i] -= o.lr() * d;
            }
        };
    }

    static Reference adam(AdamConfig o, boolean decoupled) {
        double[][] s = new double[3][];
        return (p, g, t) -> {
            if (s[0] == null) {
                for (int k = 0; k < 3; k++) {
                    s[k] = new double[p.length];
                }
            }
            for (int i = 0; i < p.length; i++) {
                double gi = g[i];
                if (decoupled) {
                    p[i] *= 1 - o.lr() * o.weightDecay();
                } else {
                    gi += o.weightDecay() * p[i];
                }
                s[0][i] = o.beta1() * s[0][i] + (1 - o.beta1()) * gi;
                s[1][i] = o.beta2() * s[1][i] + (1 - o.beta2()) * gi * gi;
                s[2][i] = Math.max(s[2][i], s[1][i]);
                double v = o.amsgrad() ? s[2][i] : s[1][i];
                double mHat = s[0][i] / (1 - Math.pow(o.beta1(), t));
                p[i] -= o.lr() * mHat / (Math.sqrt(v) / Math.sqrt(1 - Math.pow(o.beta2(), t)) + o.eps());
            }
        };
    }
}
