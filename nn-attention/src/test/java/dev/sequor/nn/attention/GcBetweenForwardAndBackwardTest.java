package dev.sequor.nn.attention;

import dev.sequor.core.Backends;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fused scaled-dot-product attention node (causal or with a padding mask, with and without
 * dropout) is run forward, every reference except the loss and the leaves is dropped, and the
 * collector (and the Cleaner with it) is forced to run before backward: the gradients must equal,
 * bit for bit, those of the same run without the collection. Whatever the backward reads (the
 * log-sum-exp rows, the dropout stream's inputs) must be held by the graph. This module's tests see
 * only the reference backend; nn-recurrent's test of the same name covers every backend.
 */
class GcBetweenForwardAndBackwardTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"causal", "padding mask", "causal with dropout"})
    void attentionGradientsSurviveACollection(String kind) throws InterruptedException {
        Backend be = Backends.get("reference");
        Tensor q = Tensor.normal(be, 0f, 1f, Seed.of(1), 2, 3, 6, 4).requiresGrad(true);   // (B, H, L, E)
        Tensor k = Tensor.normal(be, 0f, 1f, Seed.of(2), 2, 3, 6, 4).requiresGrad(true);
        Tensor v = Tensor.normal(be, 0f, 1f, Seed.of(3), 2, 3, 6, 5).requiresGrad(true);
        List<float[]> quiet = gradients(kind, q, k, v, false);
        List<float[]> collected = gradients(kind, q, k, v, true);
        for (int i = 0; i < 3; i++) {
            assertThat(collected.get(i)).as("%s: gradient of input %d after a collection", kind, i)
                    .containsExactly(quiet.get(i));
        }
    }

    private static Tensor loss(String kind, Tensor q, Tensor k, Tensor v) {
        Mask mask = kind.equals("padding mask") ? Mask.keepWhere(Tensor.of(q.backend(),
                new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, 1, 1, 6)) : null;   // (B, 1, 1, S)
        boolean causal = kind.startsWith("causal");
        float dropout = kind.endsWith("dropout") ? 0.3f : 0f;
        Tensor out = ScaledDotProductAttention.apply(q, k, v, mask, causal, dropout, Seed.of(8));
        return out.mul(Tensor.normal(q.backend(), 0f, 1f, Seed.of(4), out.shape())).sum();
    }

    private static List<float[]> gradients(String kind, Tensor q, Tensor k, Tensor v, boolean collect)
            throws InterruptedException {
        for (Tensor t : new Tensor[] {q, k, v}) {
            t.zeroGrad();
        }
        Tensor loss = loss(kind, q, k, v);
        if (collect) {
            WeakReference<Object> probe = new WeakReference<>(new Object());
            for (int i = 0; i < 50 && probe.get() != null; i++) {
                System.gc();
                Thread.sleep(5);
            }
            assertThat(probe.get()).as("the collector ran").isNull();
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(20);
            }
        }
        loss.backward();
        List<float[]> grads = new ArrayList<>();
        for (Tensor t : new Tensor[] {q, k, v}) {
            grads.add(t.grad().toFloatArray());
        }
        return grads;
    }
}
