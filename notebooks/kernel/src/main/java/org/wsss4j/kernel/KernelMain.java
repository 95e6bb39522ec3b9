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
    /** How long shutdown may take before the JVM is halted (a hung socket must not keep it). */
    static final long EXIT_GRACE_MILLIS = 4000;

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
        JavaKernel kernel = new JavaKernel(engine, () -> exitGuard(0));

        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        kernel.onStartup();

        ParentWatch.start(1000, () -> {
            System.err.println("wsss4j kernel: client process is gone; exiting");
            exitGuard(0);
            System.exit(0);
        });

        connection.waitUntilClose();
        exitGuard(0);
        // Threads a cell started (pools, timers) must not keep the JVM alive after shutdown.
        System.exit(0);
    }

    /** Halts the JVM if a normal exit has not finished within the grace period. */
    static synchronized void exitGuard(int status) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(EXIT_GRACE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(status);
        }, "wsss4j-exit-guard");
        t.setDaemon(true);
        t.start();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
