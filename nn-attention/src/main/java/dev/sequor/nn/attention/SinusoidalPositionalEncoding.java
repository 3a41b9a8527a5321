package dev.sequor.nn.attention;

import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.util.Arrays;

/**
 * Fixed sinusoidal positional encodings (Vaswani et al. 2017, section 3.5):
 * {@code PE(pos, 2i) = sin(pos / 10000^(2i / d))}, {@code PE(pos, 2i+1) = cos(pos / 10000^(2i / d))},
 * added to {@code (B, T, d)} inputs. The table has no parameters and is not part of the state dict.
 * An offset gives positions {@code offset, offset+1, ...}, for incremental decoding
 * ({@code offset = cache.steps()}).
 */
public final class SinusoidalPositionalEncoding {

    private final int dModel;
    private final int maxLength;
    private final Tensor table;

    /**
     * @param dModel    the model width {@code d}
     * @param maxLength the longest sequence (positions {@code 0 .. maxLength-1})
     */
    public SinusoidalPositionalEncoding(Backend backend, int dModel, int maxLength) {
        if (dModel <= 0 || maxLength <= 0) {
            throw new IllegalArgumentException("SinusoidalPositionalEncoding: sizes must be positive, got dModel=" + dModel
                    + " maxLength=" + maxLength);
        }
        this.dModel = dModel;
        this.maxLength = maxLength;
        float[] pe = new float[maxLength * dModel];
        for (int pos = 0; pos < maxLength; pos++) {
            for (int c = 0; c < dModel; c++) {
                int i2 = c - (c % 2); // 2i
                double angle = pos / Math.pow(10000.0, (double) i2 / dModel);
                pe[pos * dModel + c] = (float) (c % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        this.table = Scope.unscoped(() -> Tensor.of(backend, pe, maxLength, dModel));
    }

    /** @return the {@code (maxLength, d)} table */
    public Tensor table() {
        return table;
    }

    /** @param x {@code (B, T, d)} @return {@code x + PE[0 .. T)} */
    public Tensor forward(Tensor x) {
        return forward(x, 0);
    }

    /** @return {@code x + PE[offset .. offset + T)} */
    public Tensor forward(Tensor x, int offset) {
        if (x.rank() != 3 || x.size(2) != dModel) {
            throw new IllegalArgumentException("SinusoidalPositionalEncoding: expected (B, T, " + dModel + "), got "
                    + Arrays.toString(x.shape()));
        }
        return x.add(LearnedPositionalEncoding.rows(table, offset, x.size(1), maxLength, "SinusoidalPositionalEncoding"));
    }
}
