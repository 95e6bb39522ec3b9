package org.wsss4j.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread every snippet of a session runs on, one after the other, as in a REPL.
 *
 * <p>JShell's local engine would start a new thread per snippet, which loses thread-local state
 * between cells. That breaks DJL: libtorch's autograd switch is per thread, and DJL's PyTorch
 * engine turns it off only on the thread that started the engine, so an in-place update of a
 * parameter in a later cell fails with "a leaf Variable that requires grad is being used in an
 * in-place operation". Here {@code Nb.init()} and every later cell share one thread.
 */
public final class CellThread implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile Task current;
    private volatile boolean closed;

    /** Starts the (daemon) thread; it waits for snippets. */
    public CellThread() {
        thread = new Thread(this::loop, "wsss4j-cell-" + COUNT.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /** The thread the snippets run on. */
    public Thread thread() {
        return thread;
    }

    /**
     * Runs a snippet's {@code do_it$} method on this thread with {@code contextLoader} as context
     * class loader and waits for it; its exception (a stop's {@code ThreadDeath} included) is
     * rethrown unwrapped. Interrupts of the waiting thread are ignored: a stop ends the snippet
     * itself, and the wait then ends with it.
     */
    Object run(Method doit, ClassLoader contextLoader) throws Throwable {
        if (closed) {
            throw new IllegalStateException("the cell thread is closed");
        }
        Task task = new Task(doit, contextLoader);
        queue.add(task);
        while (true) {
            try {
                if (task.done.await(200, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                continue;
            }
            if (task.started && current != task && task.done.getCount() > 0) {
                // The thread left the task without finishing it: a stop hit between the lines.
                throw new ThreadDeath();
            }
        }
        if (task.failure != null) {
            throw task.failure;
        }
        return task.result;
    }

    /** Wakes the running snippet (sleep, wait, I/O) and, where the JDK still can, stops it. */
    @SuppressWarnings({"removal", "deprecation"})
    void interruptRunning() {
        if (current == null) {
            return;
        }
        thread.interrupt();
        try {
            // JDK 17-19: stops even a busy loop. Newer JDKs refuse; there JShell's own stop checks,
            // woven into snippet code, end the snippet on this thread.
            thread.stop();
        } catch (UnsupportedOperationException e) {
            // JDK 20+
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private void loop() {
        while (!closed) {
            try {
                Task task = queue.take();
                current = task;
                try {
                    Thread.interrupted(); // an interrupt meant for an earlier snippet
                    thread.setContextClassLoader(task.contextLoader);
                    task.started = true;
                    task.result = task.doit.invoke(null);
                } catch (InvocationTargetException e) {
                    task.failure = e.getCause();
                } catch (Throwable t) {
                    task.failure = t;
                } finally {
                    current = null;
                    task.done.countDown();
                }
            } catch (Throwable lateStopOrInterrupt) {
                // A stop or interrupt that arrived after its snippet ended: nothing to undo.
            }
        }
    }

    private static final class Task {
        final Method doit;
        final ClassLoader contextLoader;
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean started;
        volatile Object result;
        volatile Throwable failure;

        Task(Method doit, ClassLoader contextLoader) {
            this.doit = doit;
            this.contextLoader = contextLoader;
        }
    }
}
