package dev.sequor.conformance;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequor.conformance.MutantBackend.Mutation;
import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.ReduceOp;
import dev.sequor.spi.UnaryOp;

import java.util.function.Consumer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kit's tests of itself: for each planted defect, the kit check that guards against it passes
 * on the honest backend and fails on the mutant. Without this, a kit check that cannot fail would
 * look exactly like a passing one.
 */
class KitCatchesMutantsTest {

    /** The kit check expected to catch each mutation. */
    private static Consumer<BackendConformance> checkFor(Mutation m) {
        return switch (m) {
            case NONE -> kit -> { };
            case GEMM_IGNORES_BETA -> BackendConformance::batchedWithSharedWeightAlphaAndBeta;
            case GEMM_READS_C_WHEN_BETA_ZERO -> BackendConformance::betaZeroIgnoresNaNInC;
            case GEMM_WRITES_PAST_ROW -> BackendConformance::timeStepViewsWithWideLeadingDimensionAndOffsets;
            case GELU_TANH_APPROXIMATION -> kit -> kit.unaryMatchesOracleOnRandomAndSpecialValues(UnaryOp.GELU);
            case SOFTMAX_WITHOUT_MAX_SHIFT -> kit -> kit.softmaxForwardLargeMagnitudesAndMasks(false);
            case NORMAL_COUNTS_FROM_BUFFER_START -> BackendConformance::normalMatchesBoxMullerAndHasTheRightMoments;
            case INDEX_ADD_OVERWRITES -> BackendConformance::indexSelectAndIndexAddWithRepeatedIndices;
            case ARGMAX_TAKES_LAST_TIE -> kit -> kit.reduceWithTiesNaNAndInfinities(ReduceOp.ARGMAX);
            case COPY_STRIDED_IGNORES_SRC_OFFSET -> BackendConformance::copyStridedSlicesConcatenatesAndBroadcasts;
            case BINARY_SWAPS_OPERANDS -> kit -> kit.binaryMatchesOracleInEveryBroadcastPattern(BinaryOp.SUB);
            case LIVE_BUFFERS_MISCOUNT -> BackendConformance::liveBuffersReturnToBaselineAfterAllocateCloseLoops;
            case SUM_IN_HALF_PRECISION_STEPS -> kit -> kit.reduceMatchesOracleOverLayouts(ReduceOp.SUM);
        };
    }

    private static BackendConformance kitOver(Backend backend) {
        return () -> backend;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mutation.class)
    void theGuardingCheckPassesHonestlyAndFailsOnTheMutant(Mutation m) {
        Backend reference = Backends.get("reference");
        Consumer<BackendConformance> check = checkFor(m);
        assertThatCode(() -> check.accept(kitOver(new MutantBackend(reference, Mutation.NONE))))
                .as("the check for %s on the honest backend", m).doesNotThrowAnyException();
        if (m != Mutation.NONE) {
            assertThatThrownBy(() -> check.accept(kitOver(new MutantBackend(reference, m))))
                    .as("the check for %s on the mutant", m).isInstanceOf(AssertionError.class);
        }
    }

    /** An adapter that hides a kit test by overriding it without {@code @Test}. */
    static final class HidingAdapter implements BackendConformance {
        @Override
        public Backend backend() {
            return Backends.get("reference");
        }

        @Override
        public void betaZeroIgnoresNaNInC() {
            // hidden: JUnit would not run this
        }
    }

    @org.junit.jupiter.api.Test
    void anUnannotatedOverrideOfAKitTestIsReported() {
        assertThatThrownBy(() -> new HidingAdapter().noKitTestIsHiddenByAnUnannotatedOverride())
                .isInstanceOf(AssertionError.class).hasMessageContaining("GemmConformance.betaZeroIgnoresNaNInC");
        assertThatCode(() -> kitOver(Backends.get("reference")).noKitTestIsHiddenByAnUnannotatedOverride())
                .doesNotThrowAnyException();
    }
}
