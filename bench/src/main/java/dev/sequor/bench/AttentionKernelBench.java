package dev.sequor.bench;

import dev.sequor.core.Backends;
import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RandomKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The attention SPI call alone, {@code headDim = 32}: the backend's own kernel ({@code kernel=backend},
 * on cpu-simd the blocked one) against core's default from primitives ({@code kernel=default}, which
 * holds the full {@code (B*H, L, S)} scores), on the same backend. With {@code -prof gc} the bytes each
 * call allocates show the memory each needs. Shapes {@code PxT}: P = B*H problems of T queries and keys,
 * a trailing {@code c} for causal.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class AttentionKernelBench {

    /** Backend name for {@link Backends#get(String)}. */
    @Param({"cpu-simd"})
    public String backend;

    /** {@code backend} (the backend's override, if any) or {@code default} (core's, via Backend.withDefaultKernels). */
    @Param({"backend", "default"})
    public String kernel;

    /** {@code PxT[c]}. */
    @Param({"256x128", "8x4096c"})
    public String shape;

    private Backend be;
    /** {@code be}, or {@code be}'s primitives under core's default fused kernels. */
    private Backend kernels;
    private AttentionSpec spec;
    private Buffer q;
    private Buffer k;
    private Buffer v;
    private Buffer g;
    private Buffer out;
    private Buffer lse;
    private Buffer gq;
    private Buffer gk;
    private Buffer gv;

    /** Allocates and fills the operands once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.replace("c", "").split("x");
        int problems = Integer.parseInt(p[0]);
        int t = Integer.parseInt(p[1]);
        int e = 32;
        be = Backends.get(backend);
        kernels = kernel.equals("default") ? Backend.withDefaultKernels(be) : be;
        spec = new AttentionSpec(1, problems, t, t, e, e, (float) (1 / Math.sqrt(e)), shape.endsWith("c"), 0f, 0L);
        long n = (long) problems * t * e;
        q = filled(n, 1);
        k = filled(n, 2);
        v = filled(n, 3);
        g = filled(n, 4);
        out = be.allocate(n);
        lse = be.allocate((long) problems * t);
        gq = be.allocate(n);
        gk = be.allocate(n);
        gv = be.allocate(n);
        forward();
    }

    private Buffer filled(long n, long seed) {
        Buffer b = be.allocate(n);
        be.randomFill(b, 0, n, RandomKind.NORMAL, 0f, 1f, seed);
        return b;
    }

    /** {@code attentionForward}. */
    @Benchmark
    public void forward() {
        kernels.attentionForward(spec, q, k, v, null, out, lse);
        be.synchronize();
    }

    /** {@code attentionBackward} from the trial's saved forward. */
    @Benchmark
    public void backward() {
        kernels.attentionBackward(spec, q, k, v, null, out, lse, g, gq, gk, gv);
        be.synchronize();
    }

    /** Frees the operands. */
    @TearDown(Level.Trial)
    public void tearDown() {
        for (Buffer b : new Buffer[] {q, k, v, g, out, lse, gq, gk, gv}) {
            b.close();
        }
    }
}
