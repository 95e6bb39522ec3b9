/**
 * Thin helpers for the kit's Java notebooks: {@link org.wsss4j.notebook.Nb#init()} prepares the
 * JVM (headless, offline DJL, quiet logs, profile) and {@link org.wsss4j.notebook.Nb#show(Object)}
 * displays tables, charts and images. Knows nothing of any Jupyter kernel: a kernel plugs its
 * display in through {@link org.wsss4j.notebook.Nb#setDisplay(java.util.function.Consumer)}.
 */
package org.wsss4j.notebook;
