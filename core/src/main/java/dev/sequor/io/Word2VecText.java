package dev.sequor.io;

import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word vectors in word2vec's text format (Mikolov et al. 2013; also what GloVe converts to and
 * gensim's {@code save_word2vec_format(binary=False)} writes): a header line {@code "V D"}, then V
 * lines {@code word v_1 ... v_D} separated by spaces. GloVe's own files lack the header; {@link #read}
 * accepts both, taking D from the first row when there is no header.
 *
 * @param words   the V words in file order (row i of the vectors)
 * @param vectors (V, D)
 */
public record Word2VecText(List<String> words, Tensor vectors) {

    public Word2VecText {
        words = List.copyOf(words);
        if (vectors.rank() != 2 || vectors.size(0) != words.size()) {
            throw new IllegalArgumentException("Word2VecText: " + words.size() + " words but vectors "
                    + Arrays.toString(vectors.shape()) + "; need (V, D) with V = the word count");
        }
    }

    /** @return word -> row, for turning tokens into embedding ids */
    public Map<String, Integer> index() {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            m.putIfAbsent(words.get(i), i);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Reads vectors from {@code in}.
     *
     * @param name named in error messages (the file name)
     * @throws IllegalArgumentException naming the line of a malformed header or row, a row of the wrong
     *                                  size, a bad number, or a row count that differs from the header's
     */
    public static Word2VecText read(BufferedReader in, Backend backend, String name) throws IOException {
        List<String> words = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        int dim = -1;
        int declared = -1;
        int lineNo = 0;
        for (String line; (line = in.readLine()) != null; ) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (lineNo == 1 && f.length == 2 && isInt(f[0]) && isInt(f[1])) {
                declared = Integer.parseInt(f[0]);
                dim = Integer.parseInt(f[1]);
                if (declared < 0 || dim < 1) {
                    throw new IllegalArgumentException(name + ":1: header \"" + t + "\" must be \"V D\" with D >= 1");
                }
                continue;
            }
            if (dim < 0) {
                dim = f.length - 1;
            }
            if (f.length != dim + 1 || dim < 1) {
                throw new IllegalArgumentException(name + ":" + lineNo + ": word '" + f[0] + "' has " + (f.length - 1)
                        + " values, expected " + dim);
            }
            float[] v = new float[dim];
            for (int i = 0; i < dim; i++) {
                try {
                    v[i] = Float.parseFloat(f[i + 1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + ":" + lineNo + ": value " + (i + 1) + " of word '" + f[0]
                            + "' is not a number: '" + f[i + 1] + "'");
                }
            }
            words.add(f[0]);
            rows.add(v);
        }
        if (declared >= 0 && declared != rows.size()) {
            throw new IllegalArgumentException(name + ": the header declares " + declared + " words but " + rows.size()
                    + " rows follow");
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(name + ": no vectors");
        }
        float[] all = new float[rows.size() * dim];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, all, i * dim, dim);
        }
        return new Word2VecText(words, Tensor.of(backend, all, rows.size(), dim));
    }

    /** Writes the header and one row per word, values in Java's shortest round-trip form. */
    public void write(Writer out) throws IOException {
        int v = vectors.size(0);
        int d = vectors.size(1);
        float[] all = vectors.toFloatArray();
        out.write(v + " " + d + "\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v; i++) {
            String w = words.get(i);
            if (w.isEmpty() || w.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("Word2VecText.write: word " + i + " '" + w
                        + "' is empty or holds whitespace, which the format cannot carry");
            }
            sb.setLength(0);
            sb.append(w);
            for (int j = 0; j < d; j++) {
                sb.append(' ').append(all[i * d + j]);
            }
            out.write(sb.append('\n').toString());
        }
        out.flush();
    }

    private static boolean isInt(String s) {
        return s.matches("\\d+");
    }
}
