package org.wsss4j.kernel;

import java.lang.reflect.Method;
import java.util.Map;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControl.EngineTerminationException;
import jdk.jshell.spi.ExecutionControl.InternalException;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's execution engine for the kit: snippets run in this JVM (so {@code -D} flags, DJL's
 * engine discovery and the class path of the kernelspec apply unchanged), on the JDK's own local
 * engine, which knows how to stop a running snippet on the JDK at hand.
 *
 * <p>Three additions over {@link LocalExecutionControl}: every snippet runs on the session's one
 * {@link CellThread} (not a new thread per snippet), with the snippet loader as its context class
 * loader, and the value of the last evaluated snippet is kept as an object (not only as JShell's
 * string), so the kernel can render images and tables.
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
    private final CellThread cells;
    private volatile Object lastValue;

    SnippetExecution(SnippetLoader loader, CellThread cells) {
        super(loader);
        this.loader = loader;
        this.cells = cells;
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
        Invocation inv = new Invocation(doit, loader.classLoader(), cells);
        // The local engine starts a fresh thread per snippet, which inherits this; the trampoline
        // on that thread hands the snippet to the cell thread and waits.
        CURRENT.set(inv);
        try {
            String text = super.invoke(TRAMPOLINE);
            lastValue = inv.result;
            return text;
        } finally {
            CURRENT.remove();
        }
    }

    /**
     * Stops the running snippet: on the cell thread first (interrupt, and {@code Thread.stop} where
     * the JDK has it), then the JDK's own way (its thread group on JDK 17, its stop checks woven
     * into snippet code on newer JDKs).
     */
    @Override
    public void stop() throws EngineTerminationException, InternalException {
        cells.interruptRunning();
        super.stop();
    }

    /**
     * Runs the snippet's {@code do_it$} method on the cell thread; public only because the local
     * engine invokes it by reflection. Exceptions pass through unwrapped, so the engine sees the
     * snippet's own (and a stop's {@code ThreadDeath}).
     */
    public static Object trampoline() throws Throwable {
        Invocation inv = CURRENT.get();
        CURRENT.remove();
        if (inv == null) {
            throw new IllegalStateException("trampoline called outside a snippet invocation");
        }
        inv.result = inv.cells.run(inv.doit, inv.contextLoader);
        return inv.result;
    }

    private static final class Invocation {
        final Method doit;
        final ClassLoader contextLoader;
        final CellThread cells;
        volatile Object result;

        Invocation(Method doit, ClassLoader contextLoader, CellThread cells) {
            this.doit = doit;
            this.contextLoader = contextLoader;
            this.cells = cells;
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
