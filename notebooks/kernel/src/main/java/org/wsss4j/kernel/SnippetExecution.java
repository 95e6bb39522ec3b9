package org.wsss4j.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's execution engine for the kit: snippets run in this JVM (so {@code -D} flags, DJL's
 * engine discovery and the class path of the kernelspec apply unchanged), on the JDK's own local
 * engine, which knows how to stop a running snippet on the JDK at hand.
 *
 * <p>Two additions over {@link LocalExecutionControl}: every snippet runs with the snippet loader
 * as its thread's context class loader, and the value of the last evaluated snippet is kept as an
 * object (not only as JShell's string), so the kernel can render images and tables.
 */
public final class SnippetExecution extends LocalExecutionControl {
    /** Passes the snippet to the trampoline on the thread the local engine starts for it. */
    private static final InheritableThreadLocal<Invocation> CURRENT = new InheritableThreadLocal<>();
    private static final Method TRAMPOLINE;

    static {
        try {
            TRAMPOLINE = SnippetExecution.class.getMethod("trampoline");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SnippetLoader loader;
    private volatile Object lastValue;

    SnippetExecution(SnippetLoader loader) {
        super(loader);
        this.loader = loader;
    }

    /** The object the last invoked snippet produced (null for statements and declarations). */
    Object lastValue() {
        return lastValue;
    }

    /** Forgets the last value, so a stale one is never shown for the next snippet. */
    void clearLastValue() {
        lastValue = null;
    }

    ClassLoader classLoader() {
        return loader.classLoader();
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        Invocation inv = new Invocation(doit, loader.classLoader());
        Thread self = Thread.currentThread();
        ClassLoader previous = self.getContextClassLoader();
        CURRENT.set(inv);
        // The local engine starts a fresh thread per snippet; it inherits both of these.
        self.setContextClassLoader(loader.classLoader());
        try {
            String text = super.invoke(TRAMPOLINE);
            lastValue = inv.result;
            return text;
        } finally {
            CURRENT.remove();
            self.setContextClassLoader(previous);
        }
    }

    /**
     * Runs the snippet's {@code do_it$} method; public only because the local engine invokes it by
     * reflection. Exceptions pass through unwrapped, so the engine sees the snippet's own (and a
     * stop's {@code ThreadDeath}).
     */
    public static Object trampoline() throws Throwable {
        Invocation inv = CURRENT.get();
        // Threads a cell starts must not inherit the invocation.
        CURRENT.remove();
        if (inv == null) {
            throw new IllegalStateException("trampoline called outside a snippet invocation");
        }
        Thread.currentThread().setContextClassLoader(inv.contextLoader);
        try {
            inv.result = inv.doit.invoke(null);
            return inv.result;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static final class Invocation {
        final Method doit;
        final ClassLoader contextLoader;
        volatile Object result;

        Invocation(Method doit, ClassLoader contextLoader) {
            this.doit = doit;
            this.contextLoader = contextLoader;
        }
    }

    /** Hands one prepared engine to {@code JShell.builder().executionEngine(...)}. */
    static final class Provider implements ExecutionControlProvider {
        private final SnippetExecution control;

        Provider(SnippetExecution control) {
            this.control = control;
        }

        @Override
        public String name() {
            return "wsss4j-local";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}
