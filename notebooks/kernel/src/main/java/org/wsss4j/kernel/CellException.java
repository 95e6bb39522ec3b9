package org.wsss4j.kernel;

import java.util.List;

/**
 * A cell failed: it did not compile, threw, was interrupted, or used a magic wrongly. The message
 * names the cell line (1-based) where that is known, e.g. {@code "line 3: cannot find symbol"}.
 */
public final class CellException extends RuntimeException {
    /** Why the cell stopped. */
    public enum Kind {
        COMPILE,
        RUNTIME,
        INTERRUPTED,
        MAGIC
    }

    private final Kind kind;
    private final String errorName;
    private final int line;
    private final List<String> trace;

    CellException(Kind kind, String errorName, int line, String message, List<String> trace) {
        // No Java stack: the kernel's own frames mean nothing to a notebook user; trace() holds
        // the user's frames, mapped to cell lines, and Jupyter shows that.
        super(message, null, false, false);
        this.kind = kind;
        this.errorName = errorName;
        this.line = line;
        this.trace = List.copyOf(trace);
    }

    public Kind kind() {
        return kind;
    }

    /** Jupyter's {@code ename}: the user's exception class for runtime errors. */
    public String errorName() {
        return errorName;
    }

    /** 1-based line in the cell (or the {@code %load}ed file); 0 when unknown. */
    public int line() {
        return line;
    }

    /** Jupyter's {@code traceback}: the message, then stack frames mapped to cell lines. */
    public List<String> trace() {
        return trace;
    }
}
