package dev.sequor.backend.opencl;

import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RandomKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Device-memory accounting: bytes allocated now and at peak follow every buffer, and fused causal
 * attention at T = 8,192 (head dim 64, forward and backward) on the GPU kernel family stays far
 * below the 8,192^2 * 4 bytes = 256 MiB that one materialised score matrix would need.
 */
class DeviceMemoryTest {

    private static OpenClBackend gpuFamily() {
        return (OpenClBackend) OpenClTestSupport.gpuKernelsBackend();
    }

    @Test
    void bytesFollowAllocateAndClose() {
        OpenClBackend be = (OpenClBackend) OpenClTestSupport.backend();
        long before = be.deviceBytes();
        be.resetPeakDeviceBytes();
        Buffer a = be.allocate(1000);
        assertThat(be.deviceBytes() - before).isEqualTo(4000);
        Buffer b = be.allocate(500);
        assertThat(be.deviceBytes() - before).isEqualTo(6000);
        a.close();
        assertThat(be.deviceBytes() - before).isEqualTo(2000);
        b.close();
        assertThat(be.deviceBytes()).isEqualTo(before);
        assertThat(be.peakDeviceBytes() - before).isEqualTo(6000);
        b.close(); // a second close releases nothing
        assertThat(be.deviceBytes()).isEqualTo(before);
    }

    @Test
    void causalAttentionAt8192PeaksUnder64MiB() {
        OpenClBackend be = gpuFamily();
        int t = 8192;
        int e = 64;
        AttentionSpec sp = new AttentionSpec(1, 1, t, t, e, e, 0.125f, true, 0f, 0L);
        long n = (long) t * e;
        long before = be.deviceBytes();
        be.resetPeakDeviceBytes();
        float[] gqHost = new float[(int) n];
        float[] lseHost = new float[t];
        try (Buffer q = be.allocate(n); Buffer k = be.allocate(n); Buffer v = be.allocate(n);
             Buffer out = be.allocate(n); Buffer lse = be.allocate(t); Buffer g = be.allocate(n);
             Buffer gq = be.allocate(n); Buffer gk = be.allocate(n); Buffer gv = be.allocate(n)) {
            be.randomFill(q, 0, n, RandomKind.NORMAL, 0f, 1f, 1);
            be.randomFill(k, 0, n, RandomKind.NORMAL, 0f, 1f, 2);
            be.randomFill(v, 0, n, RandomKind.NORMAL, 0f, 1f, 3);
            be.randomFill(g, 0, n, RandomKind.NORMAL, 0f, 1f, 4);
            be.attentionForward(sp, q, k, v, null, out, lse);
            be.attentionBackward(sp, q, k, v, null, out, lse, g, gq, gk, gv);
            be.download(gq, 0, gqHost, 0, gqHost.length);
            be.download(lse, 0, lseHost, 0, t);
        }
        long peak = be.peakDeviceBytes() - before;
        // the operands alone: 8 (T, 64) matrices and the lse, 16 MiB + 32 KiB
        assertThat(peak).isGreaterThanOrEqualTo(8 * n * 4 + t * 4L).isLessThan(64L << 20);
        assertThat(be.deviceBytes()).isEqualTo(before);
        // query 0 sees only key 0 (lse = its score); the last query sees all 8,192 keys
        assertThat(lseHost[0]).isFinite();
        assertThat(lseHost[t - 1]).isGreaterThan((float) Math.log(t) - 5f);
        for (float x : gqHost) {
            assertThat(x).isFinite();
        }
    }

    @Test
    void attentionDefaultIsCountedQuadratic() {
        // The check above can fail: a head wider than the kernels take runs the SPI default, whose
        // (T, T) score and gradient matrices (2 x 16 MiB at T = 2,048) the accounting sees.
        OpenClBackend be = gpuFamily();
        int t = 2048;
        int e = AttentionKernels.MAX_DIM + 1;
        AttentionSpec sp = new AttentionSpec(1, 1, t, t, e, e, 0.125f, true, 0f, 0L);
        assertThat(AttentionKernels.supports(sp)).isFalse();
        long n = (long) t * e;
        long before = be.deviceBytes();
        be.resetPeakDeviceBytes();
        try (Buffer q = be.allocate(n); Buffer out = be.allocate(n); Buffer lse = be.allocate(t);
             Buffer g = be.allocate(n); Buffer gq = be.allocate(n); Buffer gk = be.allocate(n);
             Buffer gv = be.allocate(n)) {
            be.attentionForward(sp, q, q, q, null, out, lse);
            be.attentionBackward(sp, q, q, q, null, out, lse, g, gq, gk, gv);
            be.synchronize();
        }
        assertThat(be.peakDeviceBytes() - before).isGreaterThan(2L * t * t * 4);
        assertThat(be.deviceBytes()).isEqualTo(before);
    }
}
