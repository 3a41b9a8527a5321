package dev.sequor.cli.charlm;

import dev.sequor.cli.text.Vocabulary;

import java.io.IOException;
import dev.sequor.text.Utf8;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A training text as ids, split into a training part and a held-out validation tail, with the
 * training part cut into B parallel streams (char-rnn's layout): window w of every stream is
 * consecutive text, so the recurrent state carries from one window to the next.
 */
public final class CharLmData {

    private final int[] train;
    private final int[] val;
    private final double valFraction;

    CharLmData(int[] ids, double valFraction) {
        int nVal = (int) Math.round(ids.length * valFraction);
        this.train = Arrays.copyOfRange(ids, 0, ids.length - nVal);
        this.val = Arrays.copyOfRange(ids, ids.length - nVal, ids.length);
        this.valFraction = valFraction;
    }

    /**
     * Reads a UTF-8 text file.
     *
     * @throws IllegalArgumentException for a missing, unreadable, non-UTF-8 or empty file
     */
    public static String readText(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("text file " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read text file " + file + ": " + e, e);
        }
        String text;
        try {
            text = Utf8.decode(bytes);
        } catch (Utf8.MalformedException e) {
            throw new IllegalArgumentException("text file " + file + " is not valid UTF-8: " + e.getMessage(), e);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("text file " + file + " is empty: a language model needs text to learn from");
        }
        return text;
    }

    /** @return the training ids */
    public int[] train() {
        return train;
    }

    /** @return the validation ids */
    public int[] val() {
        return val;
    }

    /**
     * Checks the text is long enough for {@code batch} streams of at least one window of {@code seq}, and
     * the validation tail for at least one prediction.
     *
     * @throws IllegalArgumentException saying how many characters are needed
     */
    void checkSize(int batch, int seq) {
        long need = (long) batch * (seq + 1);
        if (train.length < need) {
            throw new IllegalArgumentException("the training text has " + train.length + " characters after the "
                    + "validation split, but --batch " + batch + " x (--seq " + seq + " + 1) needs at least " + need
                    + "; give more text or smaller --batch/--seq");
        }
        // Bits per character need at least one (input, next character) pair in the held-out tail.
        if (val.length < 2) {
            throw new IllegalArgumentException("--val " + valFraction + " holds out " + val.length + " of the text's "
                    + (train.length + val.length) + " characters, but validation needs at least 2; give a larger "
                    + "--val or more text");
        }
    }

    /** @return windows per pass over each stream */
    int windows(int batch, int seq) {
        int streamLength = train.length / batch;
        return (streamLength - 1) / seq;
    }

    /**
     * @param w window index in [0, windows)
     * @return {inputs, targets}, each {@code [batch][seq]}
     */
    int[][][] window(int batch, int seq, int w) {
        int streamLength = train.length / batch;
        int[][] in = new int[batch][seq];
        int[][] out = new int[batch][seq];
        for (int b = 0; b < batch; b++) {
            int base = b * streamLength + w * seq;
            System.arraycopy(train, base, in[b], 0, seq);
            System.arraycopy(train, base + 1, out[b], 0, seq);
        }
        return new int[][][] {in, out};
    }

    /** @return the vocabulary of {@code text} */
    static Vocabulary vocabulary(String text) {
        return Vocabulary.of(text);
    }
}
