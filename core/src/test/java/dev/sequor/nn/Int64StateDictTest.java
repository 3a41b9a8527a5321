package dev.sequor.nn;

import dev.sequor.core.Tensor;
import dev.sequor.io.DType;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsFile;
import dev.sequor.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.sequor.nn.Fixtures.BE;
import static dev.sequor.nn.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PyTorch state dict holds BatchNorm's {@code num_batches_tracked} as int64: it loads into Sequor, the count
 * is used (momentum=None averages by it), and Sequor saves it back as I64, so the dict moves both ways
 * unconverted (fixture: tools/golden/gen_state_dict.py).
 */
class Int64StateDictTest {

    @TempDir
    Path dir;

    private static final Path FIXTURE = Path.of("src/test/resources/golden/io_state_dict_batchnorm.safetensors");

    @Test
    void aPyTorchBatchNormStateDictLoadsTrainsOnAndSavesBackAsInt64() throws Exception {
        SafeTensorsFile f = SafeTensors.read(FIXTURE);
        assertThat(f.storedDtype("num_batches_tracked")).isEqualTo(DType.I64);
        assertThat(f.get("num_batches_tracked").longs()).containsExactly(3L);

        BatchNorm1d bn = new BatchNorm1d(BE, 4, 1e-5f, null, true, true);
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String k : bn.stateDict().keySet()) {
            TensorData d = f.get(k);
            state.put(k, d.toTensor(BE));
        }
        bn.loadStateDict(state, true);
        assertThat(bn.numBatchesTracked().toFloatArray()).containsExactly(3f);

        bn.train(true);
        TensorData x = f.get("next.input");
        bn.forward(x.toTensor(BE));
        // With momentum=None the update factor is 1 / num_batches_tracked: a count that did not load shows here.
        assertClose("running_mean", bn.runningMean().toFloatArray(), doubles(f.get("next.running_mean").data()), 1e-6);
        assertClose("running_var", bn.runningVar().toFloatArray(), doubles(f.get("next.running_var").data()), 1e-6);

        Map<String, TensorData> saved = bn.stateData();
        assertThat(saved.get("num_batches_tracked").dtype()).isEqualTo(DType.I64);
        assertThat(saved.get("num_batches_tracked").longs()).containsExactly(f.get("next.num_batches_tracked").longs());
        assertThat(saved.get("running_mean").dtype()).isEqualTo(DType.F32);
        Path out = dir.resolve("bn.safetensors");
        SafeTensors.write(out, saved);
        String header = new String(Files.readAllBytes(out), 8, 400, StandardCharsets.UTF_8);
        assertThat(header).contains("\"num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[]");
        SafeTensorsFile back = SafeTensors.read(out);
        assertThat(back.get("num_batches_tracked").longs()).containsExactly(4L);
        assertThat(back.get("weight")).isEqualTo(saved.get("weight"));
    }

    @Test
    void int64TensorsRoundTripExactlyBeyondFloatPrecision() throws Exception {
        long[] values = {0, -1, 3, (1L << 53) + 1, Long.MAX_VALUE, Long.MIN_VALUE};
        TensorData ids = TensorData.ofInt64(new int[] {2, 3}, values);
        assertThat(ids.get(3)).isEqualTo((float) ((1L << 53) + 1));
        Map<String, TensorData> m = new LinkedHashMap<>();
        m.put("f", TensorData.of(new int[] {2}, new float[] {1.5f, -2f}));
        m.put("ids", ids);
        m.put("g", TensorData.of(new int[] {1}, new float[] {7f}));
        Path out = dir.resolve("ids.safetensors");
        SafeTensors.write(out, m);
        SafeTensorsFile back = SafeTensors.read(out);
        assertThat(back.get("ids").longs()).containsExactly(values);
        assertThat(back.get("ids").shape()).containsExactly(2, 3);
        assertThat(back.get("f")).isEqualTo(m.get("f"));
        assertThat(back.get("g")).isEqualTo(m.get("g"));
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(out), 0, 8)
                .order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(Files.size(out)).isEqualTo(8 + headerLength + 2 * 4 + 6 * 8 + 4);
    }

    private static double[] doubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
