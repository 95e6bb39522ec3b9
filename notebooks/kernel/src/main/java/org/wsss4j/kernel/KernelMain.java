package org.wsss4j.kernel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * The kernel process: {@code java -cp <kernel + lib + deps> org.wsss4j.kernel.KernelMain
 * <connection file>}, as the kernelspec's argv says. Binds the five Jupyter sockets, runs cells in
 * this JVM until a shutdown request, and exits by itself when the client process is gone.
 */
public final class KernelMain {
    /**
     * After a shutdown request: time for the reply to leave before the JVM exits, and the time
     * after which it is halted. jupyter_client sends SIGTERM 2.5 s after its request (half its
     * shutdown_wait_time), so both stay well below that.
     */
    static final long EXIT_AFTER_MILLIS = 300;
    static final long HALT_AFTER_MILLIS = 1500;

    private KernelMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp ... org.wsss4j.kernel.KernelMain <connection-file>");
            System.exit(2);
        }
        // Before the first logger exists: slf4j-simple reads these once.
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        setIfAbsent("java.awt.headless", "true");
        setIfAbsent("ai.djl.offline", "true");

        KernelConnectionProperties props = KernelConnectionProperties.parse(
                Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        JupyterConnection connection = new JupyterConnection(props);
        CellEngine engine = new CellEngine(CellEngine.jvmClasspath(), Path.of(""));
        JavaKernel kernel = new JavaKernel(engine, KernelMain::exitSoon);

        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        kernel.onStartup();

        ParentWatch.start(1000, () -> {
            System.err.println("wsss4j kernel: client process is gone; exiting");
            exitSoon();
        });

        connection.waitUntilClose();
        // Threads a cell started (pools, timers) must not keep the JVM alive after shutdown.
        exitSoon();
    }

    /**
     * Ends the JVM shortly: {@code System.exit(0)} after {@link #EXIT_AFTER_MILLIS}, halted after
     * {@link #HALT_AFTER_MILLIS} if exiting hangs (a socket that will not close, a shutdown hook).
     * Safe to call more than once.
     */
    static void exitSoon() {
        daemon("wsss4j-exit", EXIT_AFTER_MILLIS, () -> System.exit(0));
        daemon("wsss4j-halt", HALT_AFTER_MILLIS, () -> Runtime.getRuntime().halt(0));
    }

    private static void daemon(String name, long delayMillis, Runnable action) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                return;
            }
            action.run();
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
