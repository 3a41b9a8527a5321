package dev.sequor.nn;

import dev.sequor.spi.Backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Submodules held in a list and named {@code "0"}, {@code "1"}, ... in the order added, as PyTorch's
 * {@code nn.ModuleList}: a stack registered as {@code layers} gets parameter names
 * {@code layers.0.*}, {@code layers.1.*}, .... Unlike {@link Sequential} it has no forward of its
 * own; its owner decides how the items are called.
 *
 * @param <M> the kind of module held
 */
public class ModuleList<M extends Module> extends Module implements Iterable<M> {

    private final List<M> items = new ArrayList<>();

    /** An empty list on the default backend. */
    public ModuleList() {
    }

    /** @param backend the backend of the modules it will hold */
    public ModuleList(Backend backend) {
        super(backend);
    }

    /**
     * Registers {@code module} under the next index.
     *
     * @return {@code module}
     */
    public M add(M module) {
        items.add(registerModule(Integer.toString(items.size()), module));
        return module;
    }

    /** @return the module at {@code index} */
    public M get(int index) {
        return items.get(index);
    }

    /** @return how many modules this holds */
    public int size() {
        return items.size();
    }

    /** @return the modules in order, unmodifiable */
    public List<M> items() {
        return Collections.unmodifiableList(items);
    }

    @Override
    public Iterator<M> iterator() {
        return items().iterator();
    }
}
