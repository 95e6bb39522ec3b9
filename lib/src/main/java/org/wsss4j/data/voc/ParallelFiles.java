package org.wsss4j.data.voc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs one file task per item on a bounded pool, with an optional progress bar, and turns the first
 * failure into one {@link IOException} whose message names the item (converting 12,031 VOC masks or
 * 123,287 COCO masks is I/O- and decode-bound, so it spreads over the cores).
 */
public final class ParallelFiles {
    /** A task on one item that may fail with an I/O error. */
    @FunctionalInterface
    public interface Task<T> {
        void run(T item) throws IOException;
    }

    private ParallelFiles() {}

    /**
     * Applies {@code task} to every item with {@code threads} workers; after the first failure the
     * remaining items are skipped and that failure is thrown.
     *
     * @param label progress bar title; {@code null} for no bar
     */
    public static <T> void forEach(List<T> items, int threads, String label, Task<T> task)
            throws IOException {
        if (items.isEmpty()) {
            return;
        }
        AtomicReference<Exception> first = new AtomicReference<>();
        ProgressBar bar =
                label == null
                        ? null
                        : new ProgressBarBuilder()
                                .setTaskName(label)
                                .setInitialMax(items.size())
                                .setStyle(ProgressBarStyle.ASCII)
                                .setUpdateIntervalMillis(500)
                                .build();
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            pool.submit(
                            () ->
                                    items.parallelStream()
                                            .forEach(
                                                    item -> {
                                                        if (first.get() != null) {
                                                            return;
                                                        }
                                                        try {
                                                            task.run(item);
                                                        } catch (Exception e) {
                                                            first.compareAndSet(null, e);
                                                        }
                                                        if (bar != null) {
                                                            bar.step();
                                                        }
                                                    }))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof Error err) {
                throw err;
            }
            first.compareAndSet(null, (Exception) t);
        } finally {
            pool.shutdown();
            if (bar != null) {
                bar.close();
            }
        }
        Exception e = first.get();
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof UncheckedIOException u) {
            throw u.getCause();
        }
        if (e != null) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
