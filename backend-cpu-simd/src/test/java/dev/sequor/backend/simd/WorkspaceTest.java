package dev.sequor.backend.simd;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Workspace}: an array given back is handed out again (so kernels stop allocating) and
 * zeroed over the length asked for, what is kept stays within its bounds, and arrays taken at the
 * same time, from any threads, are never the same one.
 */
class WorkspaceTest {

    @Test
    void reusesGivenBackArraysZeroed() {
        Workspace ws = new Workspace();
        float[] a = ws.floats(100);
        assertThat(a.length).isEqualTo(128);
        Arrays.fill(a, 7f);
        ws.give(a);
        float[] b = ws.floats(90);
        assertThat(b).isSameAs(a);
        for (int i = 0; i < 90; i++) {
            assertThat(b[i]).isEqualTo(0f);
        }
        double[] d = ws.doubles(5);
        d[4] = 3;
        ws.give(d);
        assertThat(ws.doubles(5)).isSameAs(d).containsOnly(0.0);
    }

    @Test
    void keepsWithinItsBounds() {
        Workspace ws = new Workspace();
        List<float[]> taken = new ArrayList<>();
        for (int i = 0; i < Workspace.PER_CLASS + 3; i++) {
            taken.add(ws.floats(1000));
        }
        taken.forEach(ws::give);
        assertThat(ws.pooledBytes()).isEqualTo(4L * 1024 * Workspace.PER_CLASS);
        // an array it did not hand out (not a power of two) is not kept
        ws.give(new float[1000]);
        assertThat(ws.pooledBytes()).isEqualTo(4L * 1024 * Workspace.PER_CLASS);
        Workspace big = new Workspace();
        int n = (int) (Workspace.MAX_BYTES / 4 / 2);   // two of these fill the budget
        float[] x = big.floats(n);
        float[] y = big.floats(n);
        float[] z = big.floats(1);
        big.give(x);
        big.give(y);
        big.give(z);
        assertThat(big.pooledBytes()).isLessThanOrEqualTo(Workspace.MAX_BYTES).isEqualTo(Workspace.MAX_BYTES);
    }

    @Test
    void concurrentTakersGetDistinctArrays() throws Exception {
        Workspace ws = new Workspace();
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> fs = new ArrayList<>();
            Set<float[]> live = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
            for (int t = 0; t < 4; t++) {
                fs.add(ex.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        float[] a = ws.floats(64 + i % 3);
                        if (!live.add(a)) {
                            return false;
                        }
                        a[0] = 1f;
                        live.remove(a);
                        ws.give(a);
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : fs) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            ex.shutdownNow();
        }
    }
}
