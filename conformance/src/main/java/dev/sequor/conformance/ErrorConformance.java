package dev.sequor.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.ReduceOp;
import dev.sequor.spi.UnaryOp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Misuse gets a clear error, never a crash or silent garbage: a closed buffer (an
 * {@link IllegalStateException} or {@link IllegalArgumentException} whose message names the op and
 * says "closed"), a buffer of another backend ({@link IllegalArgumentException} naming both
 * backends), ranges past the end ({@link IllegalArgumentException} naming the op), negative sizes.
 * "Naming the op" means the message contains the {@code Backend} method's name, case aside
 * ({@code "softmaxBackward"}, {@code "indexSelect"}); {@code logSoftmax} counts for {@code softmax}.
 */
public interface ErrorConformance extends BackendUnderTest {

    /** @return one call per op, each using {@code bad} as one operand and healthy buffers elsewhere */
    private Map<String, Consumer<Buffer>> callsUsing(Buffer ok, Buffer idx) {
        Backend be = backend();
        long[] s1 = {1};
        int[] shape = {4};
        Map<String, Consumer<Buffer>> calls = new LinkedHashMap<>();
        calls.put("upload", bad -> be.upload(new float[4], 0, bad, 0, 4));
        calls.put("download", bad -> be.download(bad, 0, new float[4], 0, 4));
        calls.put("copy", bad -> be.copy(bad, 0, ok, 0, 4));
        calls.put("fill", bad -> be.fill(bad, 0, 4, 1f));
        calls.put("copyStrided", bad -> be.copyStrided(ok, 0, s1, bad, 0, s1, shape));
        calls.put("gemm", bad -> be.gemm(false, false, 1, 2, 2, 2, 1f, MatrixView.of(bad, 2), MatrixView.of(ok, 2), 0f,
                MatrixView.of(ok, 2)));
        calls.put("unary", bad -> be.unary(UnaryOp.EXP, bad, 0, ok, 0, 4));
        calls.put("binary", bad -> be.binary(BinaryOp.ADD, ok, s1, bad, s1, ok, shape));
        calls.put("scalar", bad -> be.scalar(BinaryOp.MUL, bad, 2f, ok, 4));
        calls.put("affine", bad -> be.affine(ok, 2f, 1f, bad, 4));
        calls.put("where", bad -> be.where(bad, s1, ok, s1, ok, s1, ok, shape));
        calls.put("reduce", bad -> be.reduce(ReduceOp.SUM, bad, 1, 4, 1, ok));
        calls.put("softmax", bad -> be.softmax(bad, 1, 4, 1, false, ok));
        calls.put("softmaxBackward", bad -> be.softmaxBackward(ok, bad, 1, 4, 1, false, ok));
        calls.put("indexSelect", bad -> be.indexSelect(ok, 1, 4, 1, idx, 1, bad));
        calls.put("indexAdd", bad -> be.indexAdd(bad, 1, 1, 1, idx, 4, ok));
        calls.put("gather", bad -> be.gather(bad, 1, 4, 1, idx, 1, ok));
        calls.put("scatterAdd", bad -> be.scatterAdd(ok, 1, 1, 1, idx, 4, bad));
        calls.put("randomFill", bad -> be.randomFill(bad, 0, 4, RandomKind.UNIFORM, 0f, 1f, 1L));
        return calls;
    }

    @Test
    default void aClosedBufferIsRejectedByEveryOpNamingTheOp() {
        Buffer closed = backend().allocate(4);
        closed.close();
        assertThat(closed.isClosed()).isTrue();
        try (Buffer ok = backend().allocate(4); Buffer idx = backend().allocate(1)) {
            callsUsing(ok, idx).forEach((op, call) -> assertThatThrownBy(() -> {
                call.accept(closed);
                backend().synchronize();
            }).as("%s with a closed buffer", op)
                    .isInstanceOfAny(IllegalStateException.class, IllegalArgumentException.class)
                    .satisfies(e -> assertThat(lower(e.getMessage())).as("message of %s", op)
                            .contains("closed").contains(lower(op))));
        }
    }

    @Test
    default void aBufferOfAnotherBackendIsRejectedNamingBothBackends() {
        try (Buffer ok = backend().allocate(4); Buffer idx = backend().allocate(1)) {
            Buffer foreign = ForeignBuffer.of(4);
            callsUsing(ok, idx).forEach((op, call) -> assertThatThrownBy(() -> call.accept(foreign))
                    .as("%s with a foreign buffer", op)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(ForeignBuffer.BACKEND_NAME)
                    .hasMessageContaining(backend().name())
                    .satisfies(e -> assertThat(lower(e.getMessage())).contains(lower(op))));
        }
    }

    @Test
    default void rangesPastTheEndAreRejectedNamingTheOp() {
        try (Buffer small = backend().allocate(4); Buffer other = backend().allocate(4)) {
            Backend be = backend();
            rejected("upload", () -> be.upload(new float[8], 0, small, 1, 4));
            rejected("upload", () -> be.upload(new float[3], 0, small, 0, 4));
            rejected("download", () -> be.download(small, 2, new float[8], 0, 3));
            rejected("copy", () -> be.copy(small, 0, other, 1, 4));
            rejected("fill", () -> be.fill(small, -1, 2, 0f));
            rejected("unary", () -> be.unary(UnaryOp.EXP, small, 1, other, 0, 4));
            rejected("copyStrided", () -> be.copyStrided(small, 0, new long[] {2}, other, 0, new long[] {1},
                    new int[] {3}));
            rejected("binary", () -> be.binary(BinaryOp.ADD, small, new long[] {1}, other, new long[] {1}, other,
                    new int[] {5}));
            rejected("gemm", () -> be.gemm(false, false, 1, 2, 2, 3, 1f, MatrixView.of(small, 3),
                    MatrixView.of(other, 2), 0f, MatrixView.of(other, 2)));
            rejected("reduce", () -> be.reduce(ReduceOp.SUM, small, 1, 5, 1, other));
            rejected("softmax", () -> be.softmax(small, 2, 3, 1, true, other));
            rejected("randomFill", () -> be.randomFill(small, 2, 3, RandomKind.NORMAL, 0f, 1f, 1L));
        }
    }

    @Test
    default void negativeLengthAllocationIsRejected() {
        assertThatThrownBy(() -> backend().allocate(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    /** Asserts {@code call} throws IllegalArgumentException whose message names {@code op}. */
    private void rejected(String op, ThrowingCallable call) {
        assertThatThrownBy(() -> {
            call.call();
            backend().synchronize();
        }).as(op).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(lower(e.getMessage())).as("message of %s", op).contains(lower(op)));
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
