/**
 * The kit's IJava-compatible Jupyter kernel: JShell running in the kernel JVM ({@link
 * org.wsss4j.kernel.CellEngine}) behind JJava's Jupyter protocol base ({@link
 * org.wsss4j.kernel.JavaKernel}), its launcher ({@link org.wsss4j.kernel.KernelMain}) and its
 * kernelspec generator ({@link org.wsss4j.kernel.KernelSpec}). See notebooks/kernel/README.md.
 */
package org.wsss4j.kernel;
