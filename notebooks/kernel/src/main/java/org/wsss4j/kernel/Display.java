package org.wsss4j.kernel;

import java.util.function.Consumer;
import org.wsss4j.notebook.Nb;

/**
 * {@code display(Object)} for cells, as in IJava: every cell of the kit's kernel (and of the
 * in-process harness) starts with {@code import static org.wsss4j.kernel.Display.display}.
 *
 * <p>It shares one sink with {@link Nb#show(Object)}, so {@code display(x)} and {@code Nb.show(x)}
 * do the same thing: in the kernel an inline PNG, HTML table or text; elsewhere a text form.
 */
public final class Display {
    private Display() {}

    /** Shows {@code value} below the running cell. */
    public static void display(Object value) {
        Nb.show(value);
    }

    /** Installs the kernel's sink (or, with null, removes it); the kernel calls this at start. */
    static void install(Consumer<Object> sink) {
        Nb.setDisplay(sink);
    }
}
