package dev.sequor.backend.simd;

import dev.sequor.spi.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector kernels for {@link BinaryOp} over one run: each operand has a stride of 1 (contiguous)
 * or 0 (a broadcast scalar); any other stride goes through the scalar twin.
 */
final class Binary {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private Binary() {
    }

    /**
     * {@code out[oo + i*os] = a[ao + i*as] op b[bo + i*bs]} for {@code i < n}.
     */
    static void run(BinaryOp op, float[] a, int ao, long as, float[] b, int bo, long bs,
                    float[] out, int oo, long os, int n) {
        int i = 0;
        if (os == 1 && op != BinaryOp.POW && (as == 1 || as == 0) && (bs == 1 || bs == 0)) {
            int bound = S.loopBound(n);
            if (as == 1 && bs == 1) {
                for (; i < bound; i += L) {
                    apply(op, FloatVector.fromArray(S, a, ao + i), FloatVector.fromArray(S, b, bo + i))
                            .intoArray(out, oo + i);
                }
            } else if (as == 1) {
                FloatVector vb = FloatVector.broadcast(S, b[bo]);
                for (; i < bound; i += L) {
                    apply(op, FloatVector.fromArray(S, a, ao + i), vb).intoArray(out, oo + i);
                }
            } else if (bs == 1) {
                FloatVector va = FloatVector.broadcast(S, a[ao]);
                for (; i < bound; i += L) {
                    apply(op, va, FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
                }
            }
        }
        for (; i < n; i++) {
            out[(int) (oo + i * os)] = Scalar.binary(op, a[(int) (ao + i * as)], b[(int) (bo + i * bs)]);
        }
    }

    static FloatVector apply(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case MAX -> a.lanewise(VectorOperators.MAX, b);
            case MIN -> a.lanewise(VectorOperators.MIN, b);
            case EQ -> ones(a.compare(VectorOperators.EQ, b));
            case NE -> ones(a.compare(VectorOperators.NE, b));
            case LT -> ones(a.compare(VectorOperators.LT, b));
            case LE -> ones(a.compare(VectorOperators.LE, b));
            case GT -> ones(a.compare(VectorOperators.GT, b));
            case GE -> ones(a.compare(VectorOperators.GE, b));
            case POW -> throw new AssertionError("POW has no vector form");
        };
    }

    private static FloatVector ones(jdk.incubator.vector.VectorMask<Float> m) {
        return FloatVector.zero(S).blend(1f, m);
    }
}
