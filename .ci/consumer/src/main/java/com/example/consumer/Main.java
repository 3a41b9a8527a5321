package com.example.consumer;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.recurrent.Lstm;
import dev.sequor.nn.recurrent.LstmConfig;
import java.util.Arrays;

/** Builds an LSTM, runs one forward pass on the backend ServiceLoader found, and says what came out where. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        var lstm = new Lstm(LstmConfig.of(8, 16).withLayers(2));
        Tensor x = Tensor.normal(0f, 1f, Seed.of(1), 3, 5, 8);   // (B=3, T=5, input 8)
        Tensor y = lstm.forward(x).output();                     // (3, 5, hidden 16)
        for (float v : y.toFloatArray()) {
            if (!Float.isFinite(v) || Math.abs(v) >= 1f) {       // h = o * tanh(c) lies in (-1, 1)
                throw new IllegalStateException("LSTM output out of (-1, 1): " + v);
            }
        }
        System.out.println("LSTM output shape " + Arrays.toString(y.shape()) + " on backend " + y.backend().name());
    }
}
