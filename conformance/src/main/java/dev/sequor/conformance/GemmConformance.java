package dev.sequor.conformance;

import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.sequor.conformance.KitAssertions.assertClose;

/**
 * Batched strided GEMM {@code C_b = alpha op(A_b) op(B_b) + beta C_b} against {@link GemmOracle}:
 * every transpose combination over sizes chosen to hit vector tails (1, 3, 17, 33, 67, 130) and
 * blocked paths (257 x 129 x 71), batches with a shared weight, time-step views with a leading
 * dimension wider than the row, offsets, beta 0 over NaN, beta 1 accumulation, k = 0, and calls
 * from several threads at once. Elements of C outside the view must be left exactly as they were.
 */
public interface GemmConformance extends BackendUnderTest {

    /** @return (transA, transB, m, n, k) cases; referenced by name from {@link #gemmMatchesOracle} */
    static List<Arguments> gemmShapes() {
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {17, 33, 67}, {130, 3, 17}, {67, 130, 33}, {2, 1, 130}, {33, 17, 1}};
        List<Arguments> out = new ArrayList<>();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int[] s : sizes) {
                    out.add(Arguments.of(ta, tb, s[0], s[1], s[2]));
                }
                out.add(Arguments.of(ta, tb, 257, 129, 71));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "transA={0} transB={1} {2}x{3}x{4}")
    @MethodSource("dev.sequor.conformance.GemmConformance#gemmShapes")
    default void gemmMatchesOracle(boolean transA, boolean transB, int m, int n, int k) {
        long seed = 31L * m + 17L * n + k + (transA ? 1000 : 0) + (transB ? 2000 : 0);
        checkGemm(transA, transB, 1, m, n, k, 1.0f, 0.0f,
                dense(seed, 1, transA ? k : m, transA ? m : k, false),
                dense(seed + 1, 1, transB ? n : k, transB ? k : n, false),
                dense(seed + 2, 1, m, n, false));
    }

    @Test
    default void batchedWithSharedWeightAlphaAndBeta() {
        int batch = 3;
        // B has batchStride 0: one weight for every batch element.
        Operand a = dense(11, batch, 5, 9, false);
        Operand w = dense(12, 1, 9, 6, true);
        Operand c = dense(13, batch, 5, 6, false);
        checkGemm(false, false, batch, 5, 6, 9, 0.5f, -2f, a, w, c);
        checkGemm(true, true, batch, 5, 6, 9, 1f, 1f, dense(14, batch, 9, 5, false), dense(15, 1, 6, 9, true), c);
    }

    @Test
    default void timeStepViewsWithWideLeadingDimensionAndOffsets() {
        // x is (B=4, T=6, F=5); step t=2 is the view (offset t*F, ld T*F) with B rows.
        int bsz = 4;
        int steps = 6;
        int feat = 5;
        int hidden = 7;
        float[] x = Inputs.uniform(21, bsz * steps * feat, -1, 1);
        Operand step = new Operand(x, 2L * feat, steps * feat, 0);
        Operand w = new Operand(Inputs.uniform(22, 3 + hidden * feat, -1, 1), 3, feat, 0); // stored (hidden, feat)
        // gates buffer (B, T, hidden+2): write columns [1, 1+hidden) of step t=4, others must stay.
        int width = hidden + 2;
        float[] gates = Inputs.uniform(23, bsz * steps * width, -1, 1);
        Operand c = new Operand(gates, 4L * width + 1, steps * width, 0);
        checkGemm(false, true, 1, bsz, hidden, feat, 1f, 1f, step, w, c);
        checkGemm(false, true, 1, bsz, hidden, feat, 1f, 0f, step, w, c);
    }

    @Test
    default void betaZeroIgnoresNaNInC() {
        Operand c = dense(31, 2, 3, 4, false);
        Arrays.fill(c.data, Float.NaN);
        checkGemm(false, false, 2, 3, 4, 5, 1f, 0f, dense(32, 2, 3, 5, false), dense(33, 2, 5, 4, false), c);
    }

    @Test
    default void kZeroGivesBetaTimesC() {
        Operand c = dense(41, 1, 3, 4, false);
        checkGemm(false, false, 1, 3, 4, 0, 1f, 0.5f, dense(42, 1, 3, 0, false), dense(43, 1, 0, 4, false), c);
        Arrays.fill(c.data, Float.NaN);
        checkGemm(true, true, 1, 3, 4, 0, 1f, 0f, dense(44, 1, 0, 3, false), dense(45, 1, 4, 0, false), c);
    }

    @Test
    default void emptyBatchOrEmptyOutputTouchesNothing() {
        Operand c = dense(51, 2, 3, 4, false);
        checkGemm(false, false, 0, 3, 4, 5, 1f, 0f, dense(52, 2, 3, 5, false), dense(53, 2, 5, 4, false), c);
        checkGemm(false, false, 2, 0, 4, 5, 1f, 0f, dense(52, 2, 3, 5, false), dense(53, 2, 5, 4, false), c);
        checkGemm(false, false, 2, 3, 0, 5, 1f, 0f, dense(52, 2, 3, 5, false), dense(53, 2, 5, 4, false), c);
    }

    /**
     * The SPI allows calls from several threads at once when no two write the same buffer: a backend
     * with shared scratch space (packing panels, queues) must still give each caller its own product.
     * The wait is bounded only so that a deadlock fails the build instead of hanging it.
     */
    @Test
    default void gemmFromSeveralThreadsAtOnce() throws Exception {
        int callers = 3;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    for (int round = 0; round < 4; round++) {
                        int m = 17 + 16 * id + round;
                        int n = 33 + round;
                        int k = 67 + 8 * id;
                        checkGemm(id % 2 == 1, round % 2 == 1, 2, m, n, k, 1f, 0f,
                                dense(100L * id + round, 2, id % 2 == 1 ? k : m, id % 2 == 1 ? m : k, false),
                                dense(100L * id + round + 50, 1, round % 2 == 1 ? n : k, round % 2 == 1 ? k : n, true),
                                dense(100L * id + round + 70, 2, m, n, false));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get(5, TimeUnit.MINUTES);
                } catch (TimeoutException e) {
                    throw new AssertionError("gemm calls from " + callers + " threads did not finish: deadlock?", e);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof AssertionError ae ? ae : new AssertionError(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A host operand: the whole buffer content and the view of it the product uses.
     *
     * @param data        the buffer content
     * @param offset      view offset
     * @param ld          view leading dimension
     * @param batchStride view batch stride
     */
    record Operand(float[] data, long offset, int ld, long batchStride) {
    }

    /** @return a batch of dense random {@code rows x cols} matrices (or one, at stride 0, if {@code shared}) */
    private static Operand dense(long seed, int batch, int rows, int cols, boolean shared) {
        float[] data = Inputs.uniform(seed, Math.max(1, (shared ? 1 : batch) * rows * cols), -1, 1);
        return new Operand(data, 0, Math.max(cols, 1), shared ? 0 : (long) rows * cols);
    }

    private void checkGemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, float beta,
                           Operand a, Operand b, Operand c) {
        String what = String.format("gemm %s%s batch %d %dx%dx%d alpha %s beta %s", transA ? "T" : "N",
                transB ? "T" : "N", batch, m, n, k, alpha, beta);
        double[] expected = GemmOracle.gemm(transA, transB, batch, m, n, k, alpha,
                host(a), host(b), beta, host(c));
        try (Buffer ab = upload(a.data); Buffer bb = upload(b.data); Buffer cb = upload(c.data)) {
            backend().gemm(transA, transB, batch, m, n, k, alpha, view(ab, a), view(bb, b), beta, view(cb, c));
            float[] actual = download(cb);
            assertClose(actual, expected, tolerance(OpFamily.GEMM), what);
            boolean[] inView = new boolean[c.data.length];
            for (int bi = 0; bi < batch; bi++) {
                for (int r = 0; r < m; r++) {
                    for (int col = 0; col < n; col++) {
                        inView[(int) (c.offset + bi * c.batchStride + (long) r * c.ld + col)] = true;
                    }
                }
            }
            for (int i = 0; i < actual.length; i++) {
                if (!inView[i] && Float.floatToIntBits(actual[i]) != Float.floatToIntBits(c.data[i])) {
                    throw new AssertionError(what + ": C[" + i + "] is outside the view but changed from "
                            + c.data[i] + " to " + actual[i]);
                }
            }
        }
    }

    private static GemmOracle.Host host(Operand o) {
        return new GemmOracle.Host(o.data, o.offset, o.ld, o.batchStride);
    }

    private static MatrixView view(Buffer b, Operand o) {
        return new MatrixView(b, o.offset, o.ld, o.batchStride);
    }
}
