package org.wsss4j.kernel;

import java.util.Optional;

/**
 * Ends the kernel when the Jupyter client that started it is gone, so no JVM is left behind when
 * a notebook server, nbconvert or a test dies without a shutdown request.
 *
 * <p>The client is {@code JPY_PARENT_PID} (set by jupyter_client on POSIX), else this process's
 * parent. It counts as gone when it is no longer alive, or when this process was re-parented.
 */
final class ParentWatch {
    private ParentWatch() {}

    /** Starts a daemon thread polling every {@code periodMillis}; runs {@code onGone} once. */
    static Optional<ProcessHandle> start(long periodMillis, Runnable onGone) {
        Optional<ProcessHandle> parent = client();
        if (parent.isEmpty()) {
            // A client pid that no longer exists: it died before we started.
            if (System.getenv("JPY_PARENT_PID") != null) {
                onGone.run();
            }
            return parent;
        }
        ProcessHandle p = parent.get();
        long originalParent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        boolean direct = originalParent == p.pid();
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (!p.isAlive() || (direct && now != originalParent)) {
                    onGone.run();
                    return;
                }
            }
        }, "wsss4j-parent-watch");
        t.setDaemon(true);
        t.start();
        return parent;
    }

    private static Optional<ProcessHandle> client() {
        String env = System.getenv("JPY_PARENT_PID");
        boolean windows = System.getProperty("os.name", "").toLowerCase().contains("win");
        // On Windows jupyter_client passes a process handle there, not a pid.
        if (env != null && !windows) {
            try {
                return ProcessHandle.of(Long.parseLong(env.trim()));
            } catch (NumberFormatException e) {
                // fall through to the direct parent
            }
        }
        return ProcessHandle.current().parent();
    }
}
