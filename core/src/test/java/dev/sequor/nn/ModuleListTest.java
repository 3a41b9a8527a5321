package dev.sequor.nn;

import dev.sequor.core.Backends;
import dev.sequor.core.Seed;
import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleListTest {

    private final Backend be = Backends.get("reference");

    @Test
    void itemsAreNamedByIndexInsideTheOwner() {
        ModuleList<Linear> list = new ModuleList<>(be);
        Linear first = list.add(new Linear(be, 4, 3, true, Seed.of(1)));
        list.add(new Linear(be, 3, 2, false, Seed.of(2)));
        assertThat(list.size()).isEqualTo(2);
        assertThat(list.get(0)).isSameAs(first);
        List<Linear> seen = new ArrayList<>();
        list.forEach(seen::add);
        assertThat(seen).containsExactlyElementsOf(list.items());
        assertThat(list.stateDict().keySet()).containsExactly("0.weight", "0.bias", "1.weight");
    }
}
