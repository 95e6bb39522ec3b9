package org.wsss4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Gives the batch of a global step; the same step must give the same batch (resume relies on it). */
@FunctionalInterface
public interface BatchSource {
    /** Images [B, 3, H, W] float32 normalised and multi-hot labels [B, C], created in {@code m}. */
    Batch get(long step, NDManager m);

    record Batch(NDArray images, NDArray labels) {}
}
