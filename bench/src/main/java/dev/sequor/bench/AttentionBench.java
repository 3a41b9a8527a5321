package dev.sequor.bench;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.nn.attention.AttentionConfig;
import dev.sequor.nn.attention.MultiHeadAttention;
import dev.sequor.nn.attention.MultiHeadAttentionConfig;
import dev.sequor.spi.Backend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@link MultiHeadAttention} self-attention, {@code E = 256}, 8 heads, batch-first, on a backend chosen
 * by name: a training-sized batch ({@code B = 32, T = 128}) and one long causal sequence
 * ({@code B = 1, T = 4096}). {@code forward} runs without autograd (inference); {@code forwardBackward}
 * runs forward, {@code out.sum().backward()} into the parameters' gradients. Each op runs in a tensor
 * scope, so its buffers are freed when it returns. {@code bench/run-attention.sh} runs the same cases
 * in PyTorch ({@code bench/pytorch/attention.py}) and prints the ratios; with {@code -prof gc} JMH
 * reports the bytes each op allocates ({@code gc.alloc.rate.norm}, all threads).
 *
 * <p>Seen here: in 2 of about 10 forks the inference {@code forward} allocated more per op for the whole
 * fork (124 and 972 MB instead of 67 MB at B=1 T=4096) and ran slower; other forks and plain loops outside
 * JMH never do. Vector code compiled without its intrinsics boxes every vector, which would look like
 * this; not pinned down. Compare forks before trusting one number.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class AttentionBench {

    /** Backend name for {@link Backends#get(String)}. */
    @Param({"cpu-simd"})
    public String backend;

    /** {@code BxT}, with a trailing {@code c} for causal self-attention. */
    @Param({"32x128", "1x4096c"})
    public String shape;

    private Backend be;
    private MultiHeadAttention mha;
    private Tensor x;
    private AttentionConfig options;

    /** Builds the layer and the input once per trial; not timed. */
    @Setup(Level.Trial)
    public void setUp() {
        boolean causal = shape.endsWith("c");
        String[] p = shape.replace("c", "").split("x");
        int b = Integer.parseInt(p[0]);
        int t = Integer.parseInt(p[1]);
        be = Backends.get(backend);
        mha = Scope.unscoped(() -> new MultiHeadAttention(be, MultiHeadAttentionConfig.of(256, 8)));
        x = Scope.unscoped(() -> Tensor.normal(be, 0f, 1f, Seed.of(42L), b, t, 256));
        options = AttentionConfig.NONE.withCausal(causal);
    }

    /** One inference forward; the output is read back so nothing is left pending. */
    @Benchmark
    public long forward() {
        try (Grad g = Grad.disabled(); Scope s = Tensor.scope()) {
            Tensor out = mha.forward(x, x, x, options).output();
            be.synchronize();
            return out.numel();
        }
    }

    /** One forward and backward of {@code sum(out)} into the parameters' gradients. */
    @Benchmark
    public void forwardBackward() {
        mha.zeroGrad();
        try (Scope s = Tensor.scope()) {
            mha.forward(x, x, x, options).output().sum().backward();
            be.synchronize();
        }
    }

    /** Frees the layer's input. */
    @TearDown(Level.Trial)
    public void tearDown() {
        x.close();
    }
}
