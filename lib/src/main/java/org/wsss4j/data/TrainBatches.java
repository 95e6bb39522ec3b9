package org.wsss4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.wsss4j.runtime.Seeds;

/**
 * Training batches addressed by global step, so that a resumed run sees exactly the batches it
 * would have seen. The sample stream is the concatenation of epoch-wise permutations of the data
 * set (epoch e shuffled by {@code Seeds.random(seed, e, SHUFFLE)}); step s takes stream positions
 * [s·B, (s+1)·B), crossing epoch boundaries without dropping samples. Sample j of step s is
 * augmented with {@code Seeds.random(seed, s, AUGMENT, j)}.
 *
 * <p>A background thread decodes and augments the next {@code prefetch} steps into plain float
 * arrays; NDArrays are made only in {@link #get}, in the caller's thread and manager. A batch is a
 * pure function of (data set, augment, batch size, seed, step): prefetching never changes it.
 * {@link #get} is meant for one training thread; {@link #close} stops the prefetch thread.
 */
public final class TrainBatches implements AutoCloseable {
    /**
     * One step's batch; the arrays belong to the manager passed to {@link #get}.
     *
     * @param images [B, 3, S, S] float32, normalised
     * @param labels [B, C] float32 multi-hot
     * @param ids image ids in batch order
     * @param indices data set indices in batch order
     */
    public record Batch(NDArray images, NDArray labels, List<String> ids, int[] indices)
            implements AutoCloseable {
        @Override
        public void close() {
            images.close();
            labels.close();
        }
    }

    /** A batch as host floats: what the prefetch thread prepares. */
    record HostBatch(long step, float[] images, float[] labels, int[] indices) {}

    private static final int KEPT_PERMUTATIONS = 4;

    private final VocDataset data;
    private final Augment augment;
    private final int batchSize;
    private final long seed;
    private final int prefetch;
    private final ExecutorService pool;
    private final Map<Long, Future<HostBatch>> pending = new LinkedHashMap<>();
    private final Map<Long, int[]> permutations =
            new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, int[]> e) {
                    return size() > KEPT_PERMUTATIONS;
                }
            };
    private volatile boolean closed;

    /** Batches with two steps of prefetch. */
    public TrainBatches(VocDataset data, Augment augment, int batchSize, long seed) {
        this(data, augment, batchSize, seed, 2);
    }

    /**
     * @param prefetch steps prepared ahead by one background thread (0 = none, no thread)
     */
    public TrainBatches(VocDataset data, Augment augment, int batchSize, long seed, int prefetch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + " must be >= 1");
        }
        if (prefetch < 0) {
            throw new IllegalArgumentException("prefetch = " + prefetch + " must be >= 0");
        }
        this.data = data;
        this.augment = augment;
        this.batchSize = batchSize;
        this.seed = seed;
        this.prefetch = prefetch;
        this.pool = prefetch == 0 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wsss4j-prefetch");
            t.setDaemon(true);
            return t;
        });
    }

    /** The augmentation every sample goes through. */
    public Augment augment() {
        return augment;
    }

    /** The run's seed (batch order and augmentation draws). */
    public long seed() {
        return seed;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Steps that together see every image once (the last may share images with the next epoch). */
    public int stepsPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    public VocDataset dataset() {
        return data;
    }

    /** Data set indices of the samples of {@code step}. */
    public int[] indices(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step = " + step + " must be >= 0");
        }
        int n = data.size();
        int[] out = new int[batchSize];
        for (int j = 0; j < batchSize; j++) {
            long pos = step * batchSize + j;
            out[j] = permutation(pos / n)[(int) (pos % n)];
        }
        return out;
    }

    private int[] permutation(long epoch) {
        synchronized (permutations) {
            int[] p = permutations.get(epoch);
            if (p == null) {
                p = new int[data.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = i;
                }
                SplittableRandom r = Seeds.random(seed, epoch, Seeds.Stream.SHUFFLE);
                for (int i = p.length - 1; i > 0; i--) {
                    int j = r.nextInt(i + 1);
                    int t = p[i];
                    p[i] = p[j];
                    p[j] = t;
                }
                permutations.put(epoch, p);
            }
            return p;
        }
    }

    /** Decodes and augments step {@code step} into host arrays (pure: no shared mutable state). */
    HostBatch prepare(long step) {
        int[] idx = indices(step);
        int s = augment.cropSize(), c = data.classes().numClasses();
        float[] images = new float[batchSize * 3 * s * s];
        float[] labels = new float[batchSize * c];
        for (int j = 0; j < batchSize; j++) {
            RgbImage img;
            try {
                img = data.readImage(idx[j]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            augment.apply(img, Seeds.random(seed, step, Seeds.Stream.AUGMENT, j), images,
                    j * 3 * s * s);
            System.arraycopy(data.multiHot(idx[j]), 0, labels, j * c, c);
        }
        return new HostBatch(step, images, labels, idx);
    }

    /**
     * The batch of {@code step} as NDArrays in {@code manager}; schedules the next steps in the
     * background. Fails with the unreadable file's name when an image cannot be read.
     */
    public synchronized Batch get(long step, NDManager manager) {
        if (closed) {
            throw new IllegalStateException("TrainBatches is closed");
        }
        Future<HostBatch> mine = pending.remove(step);
        if (pool != null) {
            // Forget work for steps the caller has moved past (e.g. after a jump on resume), and
            // queue the next ones first so they overlap with this step's own preparation.
            for (Iterator<Map.Entry<Long, Future<HostBatch>>> it = pending.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<Long, Future<HostBatch>> e = it.next();
                if (e.getKey() < step || e.getKey() > step + prefetch) {
                    e.getValue().cancel(false);
                    it.remove();
                }
            }
            for (long k = step + 1; k <= step + prefetch; k++) {
                long kk = k;
                pending.computeIfAbsent(k, x -> pool.submit(() -> prepare(kk)));
            }
        }
        HostBatch hb = take(step, mine);
        int s = augment.cropSize(), c = data.classes().numClasses();
        NDArray images = manager.create(hb.images(), new Shape(batchSize, 3, s, s));
        NDArray labels = manager.create(hb.labels(), new Shape(batchSize, c));
        List<String> ids = new ArrayList<>(batchSize);
        for (int i : hb.indices()) {
            ids.add(data.id(i));
        }
        return new Batch(images, labels, List.copyOf(ids), hb.indices());
    }

    private HostBatch take(long step, Future<HostBatch> f) {
        if (f == null) {
            return prepare(step);
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for step " + step, e);
        } catch (CancellationException e) {
            return prepare(step);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw new UncheckedIOException(u.getCause().getMessage(), u.getCause());
            }
            throw new IllegalStateException("preparing step " + step + " failed: " + cause, cause);
        }
    }

    /** Whether the prefetch thread has stopped (always true without prefetch). */
    public boolean isTerminated() {
        return pool == null || pool.isTerminated();
    }

    /** Stops the prefetch thread and waits briefly for it to finish its current image. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pool != null) {
            pending.values().forEach(f -> f.cancel(true));
            pending.clear();
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
