package dev.sequor.nn.attention;

import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Submodules named {@code 0, 1, ...}, as PyTorch's {@code nn.ModuleList}, so stacks get {@code layers.0.*}. */
final class ModuleList<M extends Module> extends Module {

    private final List<M> items = new ArrayList<>();

    ModuleList(Backend backend) {
        super(backend);
    }

    M add(M module) {
        items.add(registerModule(Integer.toString(items.size()), module));
        return module;
    }

    List<M> items() {
        return Collections.unmodifiableList(items);
    }
}
