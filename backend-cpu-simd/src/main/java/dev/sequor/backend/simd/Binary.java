package dev.sequor.backend.simd;

import dev.sequor.spi.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector kernels for {@link BinaryOp} over one run: each operand has a stride of 1 (contiguous)
 * or 0 (a broadcast scalar); any other stride goes through the scalar twin.
 *
 * <p>The op is dispatched once per run, outside the loop, to one small loop per op that calls the
 * vector operation directly. A shared {@code apply(op, a, b)} inside the loop was compiled by C2
 * as a method of its own (too big to inline), so every vector crossing it was boxed on the heap and
 * the operations inside ran their allocating fallback: most of a training step's garbage.
 */
final class Binary {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    /** Operand layouts of a vector run: both contiguous, b broadcast, a broadcast. */
    private static final int VV = 0;
    private static final int VS = 1;
    private static final int SV = 2;

    private Binary() {
    }

    /**
     * {@code out[oo + i*os] = a[ao + i*as] op b[bo + i*bs]} for {@code i < n}.
     */
    static void run(BinaryOp op, float[] a, int ao, long as, float[] b, int bo, long bs,
                    float[] out, int oo, long os, int n) {
        int i = 0;
        if (os == 1 && op != BinaryOp.POW && (as == 1 || as == 0) && (bs == 1 || bs == 0) && (as | bs) != 0) {
            int m = as == 1 ? (bs == 1 ? VV : VS) : SV;
            i = switch (op) {
                case ADD -> add(m, a, ao, b, bo, out, oo, n);
                case SUB -> sub(m, a, ao, b, bo, out, oo, n);
                case MUL -> mul(m, a, ao, b, bo, out, oo, n);
                case DIV -> div(m, a, ao, b, bo, out, oo, n);
                case MAX -> max(m, a, ao, b, bo, out, oo, n);
                case MIN -> min(m, a, ao, b, bo, out, oo, n);
                case EQ -> eq(m, a, ao, b, bo, out, oo, n);
                case NE -> ne(m, a, ao, b, bo, out, oo, n);
                case LT -> lt(m, a, ao, b, bo, out, oo, n);
                case LE -> le(m, a, ao, b, bo, out, oo, n);
                case GT -> gt(m, a, ao, b, bo, out, oo, n);
                case GE -> ge(m, a, ao, b, bo, out, oo, n);
                case POW -> throw new AssertionError("POW has no vector form");
            };
        }
        for (; i < n; i++) {
            out[(int) (oo + i * os)] = Scalar.binary(op, a[(int) (ao + i * as)], b[(int) (bo + i * bs)]);
        }
    }

    // One loop per op and layout (m: VV, VS or SV); each returns the count it covered, a multiple of L.

    private static int add(int m, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int bound = S.loopBound(n);
        if (m == VV) {
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                x.add(y).intoArray(out, oo + i);
            }
        } else if (m == VS) {
            FloatVector y = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                x.add(y).intoArray(out, oo + i);
            }
        } else {
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                x.add(y).intoArray(out, oo + i);
            }
        }
        return bound;
    }

    private static int sub(int m, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int bound = S.loopBound(n);
        if (m == VV) {
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                x.sub(y).intoArray(out, oo + i);
            }
        } else if (m == VS) {
            FloatVector y = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                x.sub(y).intoArray(out, oo + i);
            }
        } else {
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                x.sub(y).intoArray(out, oo + i);
            }
        }
        return bound;
    }

    private static int mul(int m, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int bound = S.loopBound(n);
        if (m == VV) {
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                x.mul(y).intoArray(out, oo + i);
            }
        } else if (m == VS) {
            FloatVector y = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                x.mul(y).intoArray(out, oo + i);
            }
        } else {
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                x.mul(y).intoArray(out, oo + i);
            }
        }
        return bound;
    }

    private static int div(int m, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int bound = S.loopBound(n);
        if (m == VV) {
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                x.div(y).intoArray(out, oo + i);
            }
        } else if (m == VS) {
            FloatVector y = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                x.div(y).intoArray(out, oo + i);
            }
        } else {
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                x.div(y).intoArray(out, oo + i);
            }
        }
        return bound;
    }

    private static int max(int m, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int bound = S.loopBound(n);
        if (m == VV) {
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                x.lanewise(VectorOperators.MAX, y).intoArray(out, oo + i);
            }
        } else if (m == VS) {
            FloatVector y = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                x.lanewise(VectorOperators.MAX, y).intoArray(out, oo + i);
            }
        } else {
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                x.lanewise(VectorOperators.MAX, y).intoArray(out, oo + i);
            }
        }
        return bound;
    }

    private static int min(int m, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int bound = S.loopBound(n);
        if (m == VV) {
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                x.lanewise(VectorOperators.MIN, y).intoArray(out, oo + i);
            }
        } else if (m == VS) {
            FloatVector y = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                x.lanewise(VectorOperators.MIN, y).intoArray(out, oo + i);
            }
        } else {
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                x.lanewise(VectorOperators.MIN, y).intoArray(out, oo + i);
            }
        }
        return bound;
    }

    private static int eq(int m, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int bound = S.loopBound(n);
        if (m == VV) {
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                ones(x.compare(VectorOperators.EQ, y)).intoArray(out, oo + i);
            }
        } else if (m == VS) {
            FloatVector y = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                ones(x.compare(VectorOperators.EQ, y)).intoArray(out, oo + i);
            }
        } else {
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                ones(x.compare(VectorOperators.EQ, y)).intoArray(out, oo + i);
            }
        }
        return bound;
    }

    private static int ne(int m, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int bound = S.loopBound(n);
        if (m == VV) {
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                ones(x.compare(VectorOperators.NE, y)).intoArray(out, oo + i);
            }
        } else if (m == VS) {
            FloatVector y = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                ones(x.compare(VectorOperators.NE, y)).intoArray(out, oo + i);
            }
        } else {
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                ones(x.compare(VectorOperators.NE, y)).intoArray(out, oo + i);
            }
        }
        return bound;
    }

    private static int lt(int m, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int bound = S.loopBound(n);
        if (m == VV) {
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                ones(x.compare(VectorOperators.LT, y)).intoArray(out, oo + i);
            }
        } else if (m == VS) {
            FloatVector y = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                ones(x.compare(VectorOperators.LT, y)).intoArray(out, oo + i);
            }
        } else {
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                ones(x.compare(VectorOperators.LT, y)).intoArray(out, oo + i);
            }
        }
        return bound;
    }

    private static int le(int m, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int bound = S.loopBound(n);
        if (m == VV) {
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                ones(x.compare(VectorOperators.LE, y)).intoArray(out, oo + i);
            }
        } else if (m == VS) {
            FloatVector y = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                ones(x.compare(VectorOperators.LE, y)).intoArray(out, oo + i);
            }
        } else {
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                ones(x.compare(VectorOperators.LE, y)).intoArray(out, oo + i);
            }
        }
        return bound;
    }

    private static int gt(int m, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int bound = S.loopBound(n);
        if (m == VV) {
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                ones(x.compare(VectorOperators.GT, y)).intoArray(out, oo + i);
            }
        } else if (m == VS) {
            FloatVector y = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                ones(x.compare(VectorOperators.GT, y)).intoArray(out, oo + i);
            }
        } else {
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                ones(x.compare(VectorOperators.GT, y)).intoArray(out, oo + i);
            }
        }
        return bound;
    }

    private static int ge(int m, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int bound = S.loopBound(n);
        if (m == VV) {
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                ones(x.compare(VectorOperators.GE, y)).intoArray(out, oo + i);
            }
        } else if (m == VS) {
            FloatVector y = FloatVector.broadcast(S, b[bo]);
            for (int i = 0; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(S, a, ao + i);
                ones(x.compare(VectorOperators.GE, y)).intoArray(out, oo + i);
            }
        } else {
            FloatVector x = FloatVector.broadcast(S, a[ao]);
            for (int i = 0; i < bound; i += L) {
                FloatVector y = FloatVector.fromArray(S, b, bo + i);
                ones(x.compare(VectorOperators.GE, y)).intoArray(out, oo + i);
            }
        }
        return bound;
    }

    private static FloatVector ones(VectorMask<Float> m) {
        return FloatVector.zero(S).blend(1f, m);
    }
}
