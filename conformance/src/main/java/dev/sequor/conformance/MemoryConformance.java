package dev.sequor.conformance;

import dev.sequor.spi.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.sequor.conformance.KitAssertions.assertBitwise;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory primitives: allocate, upload, download, copy, fill, copyStrided, liveBuffers. All exact,
 * bit for bit (NaN, -0, infinities and subnormals survive the round trip).
 */
public interface MemoryConformance extends BackendUnderTest {

    /** Values whose bits a careless conversion would change. */
    float[] AWKWARD = {0f, -0f, 1f, -1.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 1e-40f, 3.1415927f};

    @Test
    default void allocateIsZeroFilledForEverySize() {
        for (int n : new int[] {0, 1, 3, 17, 1000}) {
            try (Buffer b = backend().allocate(n)) {
                assertThat(b.length()).as("length").isEqualTo(n);
                assertThat(b.isClosed()).isFalse();
                assertBitwise(download(b), new float[n], "allocate(" + n + ")");
            }
        }
    }

    @Test
    default void uploadDownloadRoundTripIsBitExactWithOffsets() {
        try (Buffer b = backend().allocate(20)) {
            backend().upload(AWKWARD, 2, b, 5, AWKWARD.length - 2);
            float[] expected = new float[20];
            System.arraycopy(AWKWARD, 2, expected, 5, AWKWARD.length - 2);
            assertBitwise(download(b), expected, "upload at offset 5");
            float[] host = new float[8];
            Arrays.fill(host, 7f);
            backend().download(b, 6, host, 3, 4);
            assertBitwise(host, new float[] {7, 7, 7, AWKWARD[3], AWKWARD[4], AWKWARD[5], AWKWARD[6], 7},
                    "download into host offset 3");
            backend().upload(AWKWARD, 0, b, 0, 0);
            backend().download(b, 0, host, 0, 0);
        }
    }

    @Test
    default void copyMovesOnlyTheRange() {
        float[] src = Inputs.uniform(1, 50, -1, 1);
        src[7] = Float.NaN;
        src[8] = -0f;
        try (Buffer a = upload(src); Buffer b = upload(Inputs.uniform(2, 40, 5, 6))) {
            float[] expected = download(b);
            backend().copy(a, 3, b, 10, 25);
            System.arraycopy(src, 3, expected, 10, 25);
            assertBitwise(download(b), expected, "copy 25 from 3 to 10");
            backend().copy(a, 0, b, 0, 0);
            assertBitwise(download(b), expected, "copy of 0 elements");
            backend().copy(b, 4, b, 4, 10);
            assertBitwise(download(b), expected, "copy onto itself");
        }
    }

    @Test
    default void fillSetsOnlyTheRange() {
        try (Buffer b = upload(Inputs.uniform(3, 33, -1, 1))) {
            float[] expected = download(b);
            backend().fill(b, 1, 31, -0f);
            Arrays.fill(expected, 1, 32, -0f);
            assertBitwise(download(b), expected, "fill -0 over [1, 32)");
            backend().fill(b, 32, 1, Float.NaN);
            expected[32] = Float.NaN;
            assertBitwise(download(b), expected, "fill NaN at the last element");
        }
    }

    @Test
    default void copyStridedPermutesATensor() {
        int d0 = 2;
        int d1 = 3;
        int d2 = 5;
        float[] x = Inputs.uniform(4, d0 * d1 * d2, -1, 1);
        // permute (d0, d1, d2) -> (d2, d0, d1): iterate over the output shape, read with permuted strides
        int[] shape = {d2, d0, d1};
        long[] src = {1, (long) d1 * d2, d2};
        long[] dst = Oracle.denseStrides(shape);
        checkCopyStrided(x, 0, src, new float[x.length], 0, dst, shape, "permute (2,3,5)->(5,2,3)");
    }

    @Test
    default void copyStridedSlicesConcatenatesAndBroadcasts() {
        float[] x = Inputs.uniform(5, 4 * 7, -1, 1);
        // slice x[1:3, 2:6] of a (4, 7) matrix
        checkCopyStrided(x, 7 + 2, new long[] {7, 1}, new float[8], 0, new long[] {4, 1}, new int[] {2, 4}, "slice");
        // concat along columns: write a (3, 2) block into columns 4..5 of a (3, 6) destination
        float[] dst = Inputs.uniform(6, 18, 9, 10);
        checkCopyStrided(x, 0, new long[] {2, 1}, dst, 4, new long[] {6, 1}, new int[] {3, 2},
                "concat into columns 4..5");
        // broadcast a row of 7 to (3, 7) and a column of 3 to (3, 5)
        checkCopyStrided(x, 0, new long[] {0, 1}, new float[21], 0, new long[] {7, 1}, new int[] {3, 7},
                "broadcast row");
        checkCopyStrided(x, 0, new long[] {1, 0}, new float[15], 0, new long[] {5, 1}, new int[] {3, 5},
                "broadcast column");
    }

    @Test
    default void copyStridedHandlesRankZeroEmptyAndRankEight() {
        float[] x = Inputs.uniform(7, 256, -1, 1);
        checkCopyStrided(x, 5, new long[0], new float[3], 2, new long[0], new int[0], "rank 0 copies one element");
        checkCopyStrided(x, 0, new long[] {1, 4}, new float[3], 0, new long[] {1, 1}, new int[] {3, 0}, "a 0-size dim");
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2};
        long[] dense = Oracle.denseStrides(shape);
        long[] reversed = new long[8];
        for (int d = 0; d < 8; d++) {
            reversed[d] = dense[7 - d];
        }
        checkCopyStrided(x, 0, reversed, new float[256], 0, dense, shape, "rank 8 full reversal of axes");
    }

    @Test
    default void liveBuffersReturnToBaselineAfterAllocateCloseLoops() {
        long base = backend().liveBuffers();
        for (int round = 0; round < 50; round++) {
            Buffer a = backend().allocate(round);
            Buffer b = backend().allocate(64);
            assertThat(backend().liveBuffers()).as("live during round %d", round).isEqualTo(base + 2);
            a.close();
            b.close();
            b.close(); // closing twice is harmless and must not count twice
            assertThat(a.isClosed()).isTrue();
        }
        assertThat(backend().liveBuffers()).as("live after 50 rounds").isEqualTo(base);
    }

    @Test
    default void memoryPeakIsTheMostHeldAtOnce() {
        if (backend().memoryStats().liveBytes() < 0) {
            return; // a backend without a pool reports no bytes, hence no peak either
        }
        backend().resetMemoryPeak();
        long base = backend().memoryStats().liveBytes();
        assertThat(backend().memoryStats().peakLiveBytes()).as("peak right after reset").isGreaterThanOrEqualTo(base);
        long both;
        try (Buffer a = backend().allocate(1000)) {
            try (Buffer b = backend().allocate(3000)) {
                both = backend().memoryStats().liveBytes();
            }
            try (Buffer c = backend().allocate(500)) {
                assertThat(c.length()).isEqualTo(500);
            }
            assertThat(a.length()).isEqualTo(1000);
        }
        // a Cleaner may free an earlier test's garbage meanwhile, which only lowers liveBytes
        assertThat(backend().memoryStats().peakLiveBytes()).as("peak of 1000 + 3000 floats held at once")
                .isGreaterThanOrEqualTo(both).isLessThanOrEqualTo(base + 4000L * 4);
        backend().resetMemoryPeak();
        long live = backend().memoryStats().liveBytes();
        assertThat(backend().memoryStats().peakLiveBytes()).as("peak after a second reset")
                .isGreaterThanOrEqualTo(live).isLessThan(both);
    }

    @Test
    default void synchronizeAndDescriptionWork() {
        backend().synchronize();
        assertThat(backend().name()).isNotBlank();
        assertThat(backend().description()).isNotBlank();
    }

    /** Runs copyStrided on device copies of the arrays and compares with the host definition. */
    private void checkCopyStrided(float[] src, long srcOffset, long[] srcStrides,
                                  float[] dst, long dstOffset, long[] dstStrides, int[] shape, String what) {
        float[] expected = dst.clone();
        for (int e = 0; e < Oracle.count(shape); e++) {
            expected[(int) Oracle.stridedPosition(e, shape, dstOffset, dstStrides)] =
                    src[(int) Oracle.stridedPosition(e, shape, srcOffset, srcStrides)];
        }
        try (Buffer s = upload(src); Buffer d = upload(dst)) {
            backend().copyStrided(s, srcOffset, srcStrides, d, dstOffset, dstStrides, shape);
            assertBitwise(download(d), expected, "copyStrided " + what);
            assertBitwise(download(s), src, "copyStrided " + what + " leaves the source alone");
        }
    }
}
