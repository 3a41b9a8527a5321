package dev.sequor.bench;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;
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
 * {@code C = A * B} (row-major float32, no transposes, beta 0) on a backend chosen by name, at the
 * shapes that matter for Sequor: a square 1024^3, a short-and-wide 64x2048x1024 (a recurrent step
 * on a large batch of gates) and a tall 3200x1024x256 (an input projection over a whole sequence).
 * JMH reports milliseconds per product; {@code bench/run-gemm.sh} turns that into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class GemmBench {

    /** Backend name for {@link Backends#get(String)}. */
    @Param({"cpu-simd"})
    public String backend;

    /** {@code M x N x K}. */
    @Param({"1024x1024x1024", "64x2048x1024", "3200x1024x256"})
    public String shape;

    private Backend be;
    private Buffer a;
    private Buffer b;
    private Buffer c;
    private int m;
    private int n;
    private int k;

    /** Allocates and fills the operands once per trial; filling is not timed. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        n = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        be = Backends.get(backend);
        a = be.allocate((long) m * k);
        b = be.allocate((long) k * n);
        c = be.allocate((long) m * n);
        be.randomFill(a, 0, (long) m * k, RandomKind.UNIFORM, -1f, 1f, 1);
        be.randomFill(b, 0, (long) k * n, RandomKind.UNIFORM, -1f, 1f, 2);
        be.synchronize();
    }

    /** One product; synchronizes so asynchronous backends are timed to completion. */
    @Benchmark
    public void gemm() {
        be.gemm(false, false, 1, m, n, k, 1f, MatrixView.of(a, k), MatrixView.of(b, n), 0f, MatrixView.of(c, n));
        be.synchronize();
    }

    /** Frees the operands. */
    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }
}
