package org.wsss4j.model;

import ai.djl.ndarray.NDArray;

/**
 * Multiplying by a Java number inside autograd, safely. DJL's {@code NDArray.mul(Number)} wraps
 * the number in a tensor over Java-owned memory and frees it after the op, but autograd keeps
 * that scalar for the backward pass: after a GC the backward reads garbage (NaN or silently wrong
 * gradients). A scalar made by the array's manager is a real libtorch tensor and lives as long
 * as the graph needs it. Use these for every scale in a differentiated computation.
 */
public final class Scalars {
    private Scalars() {}

    /** {@code x · s}, safe under autograd. */
    public static NDArray mul(NDArray x, double s) {
        return x.mul(x.getManager().create((float) s).toDevice(x.getDevice(), false));
    }

    /** {@code x / s}, safe under autograd. */
    public static NDArray div(NDArray x, double s) {
        return x.div(x.getManager().create((float) s).toDevice(x.getDevice(), false));
    }
}
