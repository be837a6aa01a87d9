package dev.bp4j.spark;

import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendProvider;
import dev.bp4j.reference.ReferenceBackendProvider;

import dev.bp4j.api.IndexVector;
import dev.bp4j.api.Matrix;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test seam for task failures: backend {@code flaky-reference} is the reference backend, except
 * that once {@link #failOnUpdate} is armed, the n-th optimizer update in this JVM throws, once.
 */
public final class FlakyBackendProvider implements BackendProvider {

    static final String NAME = "flaky-reference";
    private static final AtomicInteger UPDATES_LEFT = new AtomicInteger(-1);
    private static final AtomicInteger FAILURES = new AtomicInteger();

    /** The n-th momentum update from now throws once. */
    static void failOnUpdate(int n) {
        FAILURES.set(0);
        UPDATES_LEFT.set(n);
    }

    static int failures() {
        return FAILURES.get();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int autoPriority() {
        return -1;
    }

    @Override
    public Optional<String> unavailableReason(BackendOptions options, boolean forAuto) {
        return Optional.empty();
    }

    /**
     * The reference backend behind a proxy. Its matrices are proxied too, so that they name the
     * proxy as their owner (the checking facade insists) and reach the reference unwrapped.
     */
    @Override
    public Backend open(BackendOptions options) {
        Backend reference = new ReferenceBackendProvider().open(options);
        Backend[] self = new Backend[1];
        self[0] = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, method, args) -> {
            if (method.getName().equals("momentumUpdate") && UPDATES_LEFT.get() > 0 && UPDATES_LEFT.decrementAndGet() == 0) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure of an optimizer update");
            }
            Object[] unwrapped = args == null ? null : Arrays.stream(args).map(a -> a instanceof Wrapped w ? w.target() : a).toArray();
            Object result = call(reference, method, unwrapped);
            return result instanceof Matrix || result instanceof IndexVector ? wrap(result, self[0]) : result;
        });
        return self[0];
    }

    /** Lets the proxy find what it wraps. */
    public interface Wrapped {
        Object target();
    }

    private static Object wrap(Object target, Backend owner) {
        Class<?> kind = target instanceof Matrix ? Matrix.class : IndexVector.class;
        return Proxy.newProxyInstance(kind.getClassLoader(), new Class<?>[] {kind, Wrapped.class}, (proxy, method, args) -> switch (method.getName()) {
            case "owner" -> owner;
            case "target" -> target;
            default -> call(target, method, args);
        });
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public List<String> describeDevices(BackendOptions options) {
        return List.of(NAME);
    }
}
