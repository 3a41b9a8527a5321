package dev.sequor.conformance;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Finds kit tests that an adapter overrides without a test annotation: JUnit would then drop the
 * test without a word, which is a skip without a reason.
 */
final class KitIntegrity {

    private KitIntegrity() {
    }

    /** @return "Interface.method" for each kit test the adapter class hides */
    static List<String> hiddenKitTests(Class<?> adapter) {
        List<String> hidden = new ArrayList<>();
        Set<Class<?>> kitParts = interfacesOf(adapter);
        for (Method m : adapter.getMethods()) {
            if (m.getDeclaringClass().isInterface() || m.isBridge() || isTest(m)) {
                continue;
            }
            for (Class<?> part : kitParts) {
                try {
                    if (isTest(part.getDeclaredMethod(m.getName(), m.getParameterTypes()))) {
                        hidden.add(part.getSimpleName() + "." + m.getName());
                    }
                } catch (NoSuchMethodException notDeclaredThere) {
                    // declared by another part of the kit, or by the adapter alone
                }
            }
        }
        return hidden;
    }

    private static boolean isTest(Method m) {
        return m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class);
    }

    private static Set<Class<?>> interfacesOf(Class<?> type) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            todo.addAll(List.of(c.getInterfaces()));
        }
        while (!todo.isEmpty()) {
            Class<?> i = todo.pop();
            if (seen.add(i)) {
                todo.addAll(List.of(i.getInterfaces()));
            }
        }
        return seen;
    }
}
