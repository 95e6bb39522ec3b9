package org.wsss4j.methods.aream;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Switches libtorch's (thread-local) grad mode off for a block and restores it afterwards, so a
 * pseudo-label pass inside a GradientCollector neither builds a graph nor leaks gradient into the
 * target, as {@code torch.no_grad()} does in the official code. The kit runs on DJL's PyTorch
 * engine only.
 */
final class NoGrad implements AutoCloseable {
    private final boolean previous;

    NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
