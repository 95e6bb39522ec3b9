package org.wsss4j.methods.smaf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The teacher's fused maps by training step, so that several self-training rows that see the
 * same batches with the same teacher (SMAF's denoise/reactivate ablations of one seed) pay for the
 * teacher's scales × flips forwards once. The fused maps are what every variant shares: denoise
 * and reactivation are applied afterwards, per row.
 *
 * <p>A cache is bound to one teacher and one fusion (scales, flip, target size); a hook with
 * another fusion fails at once. Entries are kept on the Java heap up to {@code maxBytes}; past it
 * new steps are computed and not stored (correct, only slower).
 */
public final class TeacherCache {
    private final MapSource teacher;
    private final List<Double> scales;
    private final boolean flip;
    private final int targetScale;
    private final long maxBytes;
    private final Map<Long, float[]> values = new HashMap<>();
    private final Map<Long, Shape> shapes = new HashMap<>();
    private long bytes;
    private int hits;
    private int misses;

    /** A cache for {@code teacher} fused as {@code cfg} says (its scales, flip, target scale). */
    public TeacherCache(MapSource teacher, SmafConfig cfg, long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        this.teacher = teacher;
        this.scales = cfg.scales();
        this.flip = cfg.flip();
        this.targetScale = cfg.targetScale();
        this.maxBytes = maxBytes;
    }

    /** Fails unless {@code teacher} and {@code cfg} fuse exactly as this cache's entries were. */
    void check(MapSource teacher, SmafConfig cfg) {
        if (teacher != this.teacher || !cfg.scales().equals(scales) || cfg.flip() != flip
                || cfg.targetScale() != targetScale) {
            throw new IllegalArgumentException("teacher cache of scales " + scales + ", flip "
                    + flip + ", target scale " + targetScale + " (one teacher) used with scales "
                    + cfg.scales() + ", flip " + cfg.flip() + ", target scale "
                    + cfg.targetScale() + (teacher != this.teacher ? " and another teacher" : ""));
        }
    }

    /** The fused maps of {@code step}, from the cache or computed (and stored if room). */
    synchronized NDArray get(long step, NDManager m, Supplier<NDArray> compute) {
        float[] v = values.get(step);
        if (v != null) {
            hits++;
            return m.create(v, shapes.get(step));
        }
        misses++;
        NDArray fused = compute.get();
        long size = fused.size() * 4L;
        if (bytes + size <= maxBytes) {
            values.put(step, fused.toFloatArray());
            shapes.put(step, fused.getShape());
            bytes += size;
        }
        return fused;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int hits() {
        return hits;
    }

    public synchronized int misses() {
        return misses;
    }
}
