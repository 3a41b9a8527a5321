package dev.sequor.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/**
 * libtorch 2.7.1 (MKL inside) through DJL's PyTorch engine: DJL's {@link LSTM} and {@link GRU} blocks
 * call libtorch's fused {@code at::lstm} / {@code at::gru}, the kernels behind {@code torch.nn.LSTM}.
 * Compiled only with {@code bench -Pdjl}. Thread count: {@code ai.djl.pytorch.num_threads}, set here
 * before the engine loads, and {@code OMP_NUM_THREADS} from the script.
 */
public final class DjlRnnEngine implements RnnBench.RnnEngine {

    private final NDManager root;

    public DjlRnnEngine(int threads) {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine engine = Engine.getEngine("PyTorch");
        System.err.println("RnnBench: libtorch through DJL: " + engine.getEngineName() + " " + engine.getVersion());
        root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @Override
    public String name() {
        return "libtorch";
    }

    @Override
    public Runnable prepare(RnnBench.Case c) {
        NDManager m = root.newSubManager();
        RecurrentBlock block = c.kind().equals("lstm")
                ? LSTM.builder().setStateSize(c.hidden()).setNumLayers(1).optBatchFirst(true).optReturnState(false).build()
                : GRU.builder().setStateSize(c.hidden()).setNumLayers(1).optBatchFirst(true).optReturnState(false).build();
        Shape in = new Shape(c.batch(), c.steps(), c.input());
        block.initialize(m, DataType.FLOAT32, in);
        NDArray x = m.randomUniform(-1f, 1f, in);
        ParameterStore ps = new ParameterStore(m, false);
        if (!c.backward()) {
            return () -> {
                try (NDManager step = m.newSubManager()) {
                    block.forward(ps, new NDList(x), false).attach(step);
                }
            };
        }
        return () -> {
            try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.zeroGradients();
                NDList out = block.forward(ps, new NDList(x), true);
                out.attach(step);
                NDArray loss = out.head().sum();
                loss.attach(step);
                gc.backward(loss);
            }
        };
    }

    @Override
    public void close() {
        root.close();
    }
}
