package dev.sequor.spi;


import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;

/**
 * {@link Backend#withDefaultKernels}: a {@link Backend} whose abstract methods (the primitives)
 * forward to another backend and whose default methods (the fused kernels) run as written in this
 * package. A dynamic proxy rather than a hand-written delegate, so that a primitive added to
 * {@link Primitives} needs no edit here.
 */
final class DefaultKernels {

    private DefaultKernels() {
    }

    /** See {@link Backend#withDefaultKernels}. */
    static Backend over(Primitives primitives) {
        Objects.requireNonNull(primitives, "primitives");
        InvocationHandler h = (proxy, method, args) -> invoke(primitives, proxy, method, args);
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, h);
    }

    private static Object invoke(Primitives primitives, Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "defaults over " + primitives;
            };
        }
        if (method.isDefault() && method.getDeclaringClass() == Backend.class) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        try {
            return method.invoke(primitives, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
