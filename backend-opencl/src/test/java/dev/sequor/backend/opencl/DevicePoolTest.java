package dev.sequor.backend.opencl;

import dev.sequor.spi.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenCL buffer pool: a closed buffer's device block is reused for the next allocation of the
 * same length and handed out zero-filled; a buffer dropped without close is reclaimed; idle blocks
 * are not counted as device memory in use.
 */
class DevicePoolTest {

    @Test
    void aClosedBlockIsReusedZeroFilled() {
        OpenClBackend be = (OpenClBackend) OpenClTestSupport.backend();
        int n = 12_345;
        Buffer a = OpenClTestSupport.upload(be, OpenClTestSupport.random(new Random(1), n));
        a.close();
        long reusedBefore = be.memoryStats().reused();
        long inUse = be.deviceBytes();
        try (Buffer b = be.allocate(n)) {
            assertThat(be.memoryStats().reused()).isEqualTo(reusedBefore + 1);
            assertThat(be.deviceBytes() - inUse).isEqualTo(4L * n);
            assertThat(OpenClTestSupport.download(be, b)).containsOnly(0f);
        }
        assertThat(be.deviceBytes()).isEqualTo(inUse);
        assertThat(a.isClosed()).isTrue();
    }

    @Test
    void aDroppedBufferIsReclaimed() throws InterruptedException {
        OpenClBackend be = (OpenClBackend) OpenClTestSupport.backend();
        long live = be.liveBuffers();
        long reclaimed = be.memoryStats().reclaimed();
        for (int i = 0; i < 100; i++) {
            be.allocate(777);   // dropped unclosed on purpose
        }
        for (int i = 0; i < 200 && be.liveBuffers() > live; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(be.liveBuffers()).isLessThanOrEqualTo(live);
        assertThat(be.memoryStats().reclaimed() - reclaimed).isGreaterThanOrEqualTo(100);
        // the reclaimed blocks are released on the backend's next allocation
        be.allocate(1).close();
    }
}
