package dev.sequor.bench;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.RecurrentDims;
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
 * One LSTM layer's forward over a batch (B=32, T=100, 256 -> 256, batch-first), as
 * {@code torch.nn.LSTM} computes it: the input projection of all steps as one GEMM
 * ({@code x W_ih^T}, biases zero here), then the whole-sequence kernel. The PyTorch peer is
 * {@code bench/pytorch/lstm.py}; {@code bench/run-lstm.sh} runs both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class LstmBench {

    /** Backend name for {@link Backends#get(String)}. */
    @Param({"cpu-simd"})
    public String backend;

    private static final int B = 32;
    private static final int T = 100;
    private static final int I = 256;
    private static final int H = 256;

    private Backend be;
    private Buffer[] bufs;
    private RecurrentDims dims;

    /** Allocates and fills the operands once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        be = Backends.get(backend);
        long[] sizes = {(long) B * T * I, 4L * H * I, 4L * H * H, 4L * B * T * H, (long) B * H, (long) B * H,
            (long) B * T * H, (long) B * H, (long) B * H, 4L * B * T * H, (long) B * T * H};
        bufs = new Buffer[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            bufs[i] = be.allocate(sizes[i]);
        }
        float bound = (float) (1 / Math.sqrt(H));
        be.randomFill(bufs[0], 0, sizes[0], RandomKind.UNIFORM, -1f, 1f, 1);
        be.randomFill(bufs[1], 0, sizes[1], RandomKind.UNIFORM, -bound, bound, 2);
        be.randomFill(bufs[2], 0, sizes[2], RandomKind.UNIFORM, -bound, bound, 3);
        dims = new RecurrentDims(B, T, H, null, false);
        be.synchronize();
    }

    /** Input projection plus the recurrent sequence, as one layer's forward. */
    @Benchmark
    public void forward() {
        be.gemm(false, true, 1, B * T, 4 * H, I, 1f, MatrixView.of(bufs[0], I), MatrixView.of(bufs[1], I), 0f,
                MatrixView.of(bufs[3], 4 * H));
        be.lstmSequenceForward(dims, bufs[3], bufs[2], bufs[4], bufs[5], bufs[6], bufs[7], bufs[8], bufs[9], bufs[10]);
        be.synchronize();
    }

    /** Frees the operands. */
    @TearDown(Level.Trial)
    public void tearDown() {
        for (Buffer b : bufs) {
            b.close();
        }
    }
}
