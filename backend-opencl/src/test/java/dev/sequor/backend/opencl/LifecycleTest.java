package dev.sequor.backend.opencl;

import dev.sequor.core.Backends;
import dev.sequor.spi.Availability;
import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;
import dev.sequor.spi.ReduceOp;
import dev.sequor.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Buffer lifetimes, discovery and the provider's promises. */
class LifecycleTest {

    @Test
    void liveBuffersReturnToBaselineAfterManySteps() {
        Backend be = OpenClTestSupport.backend();
        long baseline = be.liveBuffers();
        float[] host = new float[1];
        for (int step = 0; step < 300; step++) {
            try (Buffer a = be.allocate(64); Buffer b = be.allocate(64); Buffer c = be.allocate(64);
                 Buffer s = be.allocate(8)) {
                assertThat(be.liveBuffers()).isEqualTo(baseline + 4);
                be.fill(a, 0, 64, step);
                be.gemm(false, true, 1, 8, 8, 8, 1f, MatrixView.of(a, 8), MatrixView.of(a, 8), 0f, MatrixView.of(b, 8));
                be.unary(UnaryOp.TANH, b, 0, c, 0, 64);
                be.binary(BinaryOp.ADD, c, new long[]{8, 1}, a, new long[]{0, 1}, c, new int[]{8, 8});
                be.reduce(ReduceOp.SUM, c, 8, 8, 1, s);
            }
        }
        Buffer kept = be.allocate(1);
        be.download(kept, 0, host, 0, 1);
        assertThat(be.liveBuffers()).isEqualTo(baseline + 1);
        kept.close();
        assertThat(be.liveBuffers()).isEqualTo(baseline);
    }

    @Test
    void closedBuffersAreRejectedAndCloseIsIdempotent() {
        Backend be = OpenClTestSupport.backend();
        Buffer b = be.allocate(4);
        long live = be.liveBuffers();
        b.close();
        b.close();
        assertThat(b.isClosed()).isTrue();
        assertThat(be.liveBuffers()).isEqualTo(live - 1);
        assertThatThrownBy(() -> be.fill(b, 0, 4, 1f)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void boundsAreCheckedOnTheHost() {
        Backend be = OpenClTestSupport.backend();
        try (Buffer b = be.allocate(4)) {
            assertThatThrownBy(() -> be.fill(b, 2, 3, 0f)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fill");
            assertThatThrownBy(() -> be.gemm(false, false, 1, 2, 2, 2, 1f, MatrixView.of(b, 2), MatrixView.of(b, 3),
                    0f, MatrixView.of(b, 2))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gemm");
            assertThatThrownBy(() -> be.allocate(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void providerDescribesPlatformAndDeviceAndRanksCpuBelowSimd() {
        OpenClTestSupport.backend();
        OpenClProvider p = new OpenClProvider();
        Availability a = p.availability();
        assertThat(a.available()).isTrue();
        ClDevice d = DeviceSelector.probe().chosen();
        assertThat(a.reason()).contains(d.deviceName()).contains(d.platformName());
        assertThat(p.priority()).isEqualTo(d.gpu() ? 200 : 50);
        assertThat(Backends.available()).anySatisfy(i -> assertThat(i.name()).isEqualTo("opencl"));
        assertThat(Backends.get("opencl").description()).contains(d.deviceName());
    }

    @Test
    void deviceChosenByPropertyOrReportedMissing() {
        OpenClTestSupport.backend();
        try {
            System.setProperty(DeviceSelector.PROPERTY, "0");
            assertThat(DeviceSelector.probe().chosen().index()).isZero();
            String name = DeviceSelector.probe().chosen().deviceName();
            System.setProperty(DeviceSelector.PROPERTY, name.substring(0, Math.min(4, name.length())).toUpperCase());
            assertThat(DeviceSelector.probe().chosen().deviceName()).isEqualTo(name);
            System.setProperty(DeviceSelector.PROPERTY, "no such device anywhere");
            DeviceSelector.Result r = DeviceSelector.probe();
            assertThat(r.chosen()).isNull();
            assertThat(r.problem()).contains("no such device anywhere").contains(name);
            assertThat(new OpenClProvider().availability().available()).isFalse();
        } finally {
            System.clearProperty(DeviceSelector.PROPERTY);
        }
    }
}
