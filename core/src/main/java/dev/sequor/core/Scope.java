package dev.sequor.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Frees every tensor created inside it, except those kept. Scopes nest per thread; a kept tensor
 * moves to the enclosing scope (or becomes unscoped at the top level), so a helper can return its
 * result through {@code return scope.keep(result)}.
 *
 * <pre>{@code
 * try (Scope s = Tensor.scope()) {
 *     Tensor loss = model.loss(batch);
 *     loss.backward();          // parameter gradients live with the parameters, not the scope
 *     optimizer.step();
 *     lossValue = loss.item();
 * }                              // every intermediate buffer is freed here
 * }</pre>
 */
public final class Scope implements AutoCloseable {

    private static final ThreadLocal<List<Scope>> STACK = ThreadLocal.withInitial(ArrayList::new);

    private final List<Tensor> owned = new ArrayList<>();
    private final Set<Tensor> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    Scope() {
        STACK.get().add(this);
    }

    static void register(Tensor t) {
        List<Scope> stack = STACK.get();
        if (!stack.isEmpty()) {
            stack.get(stack.size() - 1).owned.add(t);
        }
    }

    /** Removes {@code ts} from the scopes that own them: a recorded node owns them now. */
    static void forget(Tensor... ts) {
        if (ts.length == 0) {
            return;
        }
        Set<Tensor> drop = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : ts) {
            if (t != null) {
                drop.add(t);
            }
        }
        for (Scope s : STACK.get()) {
            s.owned.removeIf(drop::contains);
        }
    }

    /**
     * Runs {@code body} with no scope collecting the tensors it creates: for state that outlives a
     * training step (parameters, gradients, optimizer moments, running statistics).
     */
    public static <T> T unscoped(Supplier<T> body) {
        List<Scope> stack = STACK.get();
        List<Scope> saved = new ArrayList<>(stack);
        stack.clear();
        try {
            return body.get();
        } finally {
            stack.addAll(saved);
        }
    }

    /**
     * Keeps {@code t} alive past this scope; it then belongs to the enclosing scope, if any.
     *
     * @return {@code t}, for {@code return scope.keep(x)}
     */
    public Tensor keep(Tensor t) {
        kept.add(t);
        return t;
    }

    /** @return how many tensors this scope will free on close (for tests and diagnostics) */
    public int size() {
        return owned.size() - kept.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Scope> stack = STACK.get();
        stack.remove(this);
        Scope parent = stack.isEmpty() ? null : stack.get(stack.size() - 1);
        for (Tensor t : owned) {
            if (kept.contains(t)) {
                if (parent != null) {
                    parent.owned.add(t);
                }
            } else {
                t.close();
            }
        }
        owned.clear();
    }
}
