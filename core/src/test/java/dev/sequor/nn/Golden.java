package dev.sequor.nn;

import dev.sequor.core.Tensor;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsFile;
import dev.sequor.io.TensorData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import static dev.sequor.nn.Fixtures.BE;

/**
 * A PyTorch golden fixture (see tools/golden/README.md): core's own under
 * {@code src/test/resources/golden}, the norm fixtures where nn-attention keeps them (tests run in
 * the module directory, so the sibling module is {@code ../nn-attention}).
 */
final class Golden {

    static final Path CORE = Path.of("src/test/resources/golden");
    static final Path NN_ATTENTION = Path.of("../nn-attention/src/test/resources/golden");

    private final SafeTensorsFile file;

    private Golden(SafeTensorsFile file) {
        this.file = file;
    }

    static Golden read(Path dir, String name) {
        try {
            return new Golden(SafeTensors.read(dir.resolve(name + ".safetensors")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the stored tensor on the reference backend (rank 0 included) */
    Tensor tensor(String key) {
        TensorData d = file.get(key);
        return d.rank() == 0 ? Tensor.scalar(BE, d.get(0)) : Tensor.of(BE, d.data(), d.shape());
    }

    /** @return the stored tensor as a leaf that requires a gradient */
    Tensor leaf(String key) {
        return tensor(key).requiresGrad(true);
    }

    /** @return the stored values widened to double, as an expectation */
    double[] expected(String key) {
        float[] f = file.get(key).data();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** @return the file name, for messages */
    String name() {
        return file.source();
    }
}
