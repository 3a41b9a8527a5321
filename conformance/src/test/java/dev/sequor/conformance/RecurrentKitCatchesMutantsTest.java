package dev.sequor.conformance;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;
import dev.sequor.spi.RecurrentDims;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * Shows that {@link RecurrentConformance} fails on planted defects in fused recurrent kernels: a
 * proxy over the reference backend runs the default kernels with one argument corrupted.
 */
class RecurrentKitCatchesMutantsTest {

    enum Mutation {
        NONE("lstm"),
        LSTM_BACKWARD_DROPS_CELL_GRADIENT("lstm"),
        GRU_IGNORES_LENGTHS("gru"),
        RNN_IGNORES_REVERSE("rnn-tanh");

        final String kind;

        Mutation(String kind) {
            this.kind = kind;
        }
    }

    private static Backend mutant(Backend real, Mutation m) {
        InvocationHandler h = (proxy, method, args) -> {
            if (!method.isDefault()) {
                return method.invoke(real, args);
            }
            Object[] a = args.clone();
            switch (m) {
                case LSTM_BACKWARD_DROPS_CELL_GRADIENT -> {
                    if (method.getName().equals("lstmSequenceBackward")) {
                        a[9] = null;
                    }
                }
                case GRU_IGNORES_LENGTHS -> {
                    if (method.getName().startsWith("gruSequence")) {
                        RecurrentDims d = (RecurrentDims) a[0];
                        a[0] = new RecurrentDims(d.batch(), d.steps(), d.hidden(), null, d.reverse());
                    }
                }
                case RNN_IGNORES_REVERSE -> {
                    if (method.getName().startsWith("rnnSequence")) {
                        RecurrentDims d = (RecurrentDims) a[0];
                        a[0] = new RecurrentDims(d.batch(), d.steps(), d.hidden(), d.lengths(), false);
                    }
                }
                default -> { }
            }
            return InvocationHandler.invokeDefault(proxy, method, a);
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, h);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mutation.class)
    void theRecurrentCheckPassesHonestlyAndFailsOnTheMutant(Mutation m) {
        Backend reference = Backends.get("reference");
        RecurrentConformance honest = () -> mutant(reference, Mutation.NONE);
        assertThatCode(() -> honest.sequenceForwardAndBackward(m.kind)).doesNotThrowAnyException();
        if (m != Mutation.NONE) {
            RecurrentConformance broken = () -> mutant(reference, m);
            assertThatThrownBy(() -> broken.sequenceForwardAndBackward(m.kind)).isInstanceOf(AssertionError.class);
        }
    }
}
