package org.wsss4j.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * One JShell session running notebook cells in this JVM: the shared core of the Jupyter kernel
 * and of the in-process notebook harness, so both run a cell the same way.
 *
 * <p>A cell is split into JShell snippets and evaluated in order; the first snippet that does not
 * compile or throws stops the cell with a {@link CellException} naming the cell line. The value of
 * a trailing expression is returned as an object for display. Lines starting with {@code %} are
 * the kit's magics: {@code %classpath <path or glob>...} (alias {@code %jars}) and {@code %load
 * <file>}.
 */
public final class CellEngine implements AutoCloseable {
    private static final Pattern MAGIC = Pattern.compile("^\\s*(%%?)([A-Za-z][\\w-]*)(.*)$");
    private static final Pattern SNIPPET_FILE = Pattern.compile("#(\\d+)");

    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final SnippetExecution execution;
    private final SnippetLoader loader;
    private final Path workDir;
    /** The cell thread this session started itself (closed with it), else null. */
    private final CellThread ownCells;
    private final Object lock = new Object();
    /** Guards cell start/end against a stop meant for the previous cell. */
    private final Object stopLock = new Object();
    /** Where each snippet came from, so stack frames of earlier cells map to their lines too. */
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private final AtomicLong cellsStarted = new AtomicLong();
    private volatile boolean running;
    private volatile boolean stopRequested;

    private record Origin(String source, int firstLine) {
        String where(int line) {
            return source + " line " + (firstLine + line - 1);
        }
    }

    /** Completion candidates and the range of the cell they replace. */
    public record Completion(List<String> candidates, int start, int end) {}

    /** Whether a cell is ready to run (Jupyter's is_complete). */
    public enum Readiness {
        COMPLETE,
        INCOMPLETE,
        INVALID
    }

    /**
     * Starts a session.
     *
     * @param classpath the class path the snippets compile against; must already be visible to
     *     this class's loader (the kernel JVM's class path), so nothing is loaded twice
     * @param workDir the directory relative paths in magics resolve against
     */
    public CellEngine(List<Path> classpath, Path workDir) {
        this(classpath, workDir, new CellThread(), true);
    }

    /**
     * Starts a session whose snippets run on {@code cells}; several sessions may share one cell
     * thread one after the other (the in-process notebook tests do, so DJL, started on it by the
     * first notebook, sees the same thread in every notebook, as in a kernel).
     */
    public CellEngine(List<Path> classpath, Path workDir, CellThread cells) {
        this(classpath, workDir, cells, false);
    }

    private CellEngine(List<Path> classpath, Path workDir, CellThread cells, boolean owned) {
        this.workDir = workDir.toAbsolutePath().normalize();
        this.loader = new SnippetLoader(CellEngine.class.getClassLoader(), classpath);
        this.execution = new SnippetExecution(loader, cells);
        this.ownCells = owned ? cells : null;
        this.shell = JShell.builder()
                .executionEngine(new SnippetExecution.Provider(execution), null)
                .build();
        this.analysis = shell.sourceCodeAnalysis();
        for (Path p : classpath) {
            shell.addToClasspath(p.toString());
        }
        // IJava's cells can call display(...) without an import; so can ours.
        run("import static " + Display.class.getName() + ".display;", "start-up", 1);
    }

    /** The class path of this JVM as a list: what the kernel's snippets compile against. */
    public static List<Path> jvmClasspath() {
        // Surefire starts tests through a manifest-only jar; the real list is in this property.
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path", "");
        }
        List<Path> out = new ArrayList<>();
        for (String e : cp.split(java.io.File.pathSeparator)) {
            if (!e.isBlank()) {
                out.add(Path.of(e));
            }
        }
        return out;
    }

    /** The loader of snippet classes: the context class loader of every cell. */
    public ClassLoader classLoader() {
        return execution.classLoader();
    }

    /**
     * Runs one cell.
     *
     * @return the value of the cell's trailing expression, or null when the cell ends with a
     *     statement, a declaration, a void call, or an expression whose value is null
     * @throws CellException when a snippet does not compile, throws, a magic fails, or {@link
     *     #stop()} interrupted the cell
     */
    public Object eval(String cell) {
        synchronized (lock) {
            long n;
            synchronized (stopLock) {
                n = cellsStarted.incrementAndGet();
                stopRequested = false;
                running = true;
            }
            try {
                return runWithMagics(cell, "cell " + n, 1);
            } finally {
                synchronized (stopLock) {
                    running = false;
                }
            }
        }
    }

    /**
     * Interrupts the running cell: the running snippet is stopped on the cell thread (a busy loop
     * too; see {@link SnippetExecution#stop()}), and the rest of the cell is skipped. May be called from any thread; does nothing when
     * no cell runs.
     */
    public void stop() {
        long cell;
        synchronized (stopLock) {
            if (!running) {
                return;
            }
            stopRequested = true;
            cell = cellsStarted.get();
            shell.stop();
        }
        // A stop that lands between two snippets finds no user code to stop; the flag then ends the
        // cell, but a snippet already entering user code would be missed, so repeat briefly.
        Thread retry = new Thread(() -> {
            for (int i = 0; i < 50; i++) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                // Under stopLock no next cell can start, so a late stop never hits it.
                synchronized (stopLock) {
                    if (!running || cellsStarted.get() != cell) {
                        return;
                    }
                    shell.stop();
                }
            }
        }, "wsss4j-cell-stop");
        retry.setDaemon(true);
        retry.start();
    }

    /** Completion at {@code cursor} (an offset into {@code cell}). */
    public Completion complete(String cell, int cursor) {
        synchronized (lock) {
            Unit u = unitAt(cell, cursor);
            if (u == null) {
                return new Completion(List.of(), cursor, cursor);
            }
            int[] anchor = new int[1];
            List<SourceCodeAnalysis.Suggestion> suggestions =
                    analysis.completionSuggestions(u.text, cursor - u.start, anchor);
            // Type-matching candidates first, as jshell's own tab completion does.
            LinkedHashSet<String> out = new LinkedHashSet<>();
            suggestions.stream().filter(SourceCodeAnalysis.Suggestion::matchesType)
                    .forEach(s -> out.add(s.continuation()));
            suggestions.forEach(s -> out.add(s.continuation()));
            return new Completion(List.copyOf(out), u.start + anchor[0], cursor);
        }
    }

    /** Signature and javadoc of what is under the cursor, or null when there is none. */
    public String inspect(String cell, int cursor) {
        synchronized (lock) {
            Unit u = unitAt(cell, cursor);
            if (u == null) {
                return null;
            }
            List<SourceCodeAnalysis.Documentation> docs =
                    analysis.documentation(u.text, cursor - u.start, true);
            if (docs.isEmpty()) {
                return null;
            }
            return docs.stream()
                    .map(d -> d.javadoc() == null || d.javadoc().isBlank()
                            ? d.signature()
                            : d.signature() + "\n\n" + d.javadoc())
                    .collect(Collectors.joining("\n\n"));
        }
    }

    /** Jupyter's is_complete: can the console run this cell now? */
    public Readiness readiness(String cell) {
        synchronized (lock) {
            String rest = withoutMagicLines(cell);
            while (true) {
                CompletionInfo ci = analysis.analyzeCompletion(rest);
                switch (ci.completeness()) {
                    case EMPTY:
                        return Readiness.COMPLETE;
                    case COMPLETE:
                    case COMPLETE_WITH_SEMI:
                        rest = ci.remaining();
                        break;
                    case DEFINITELY_INCOMPLETE:
                        return Readiness.INCOMPLETE;
                    case CONSIDERED_INCOMPLETE:
                        return Readiness.COMPLETE;
                    default:
                        return Readiness.INVALID;
                }
            }
        }
    }

    /** Paths {@code %classpath} added so far. */
    public List<Path> addedClasspath() {
        return loader.addedPaths();
    }

    @Override
    public void close() {
        shell.close();
        if (ownCells != null) {
            ownCells.close();
        }
    }

    // ---------------------------------------------------------------- cells, magics, snippets

    private Object runWithMagics(String text, String source, int firstLine) {
        String[] lines = text.split("\n", -1);
        StringBuilder chunk = new StringBuilder();
        int chunkLine = firstLine;
        Object last = null;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MAGIC.matcher(lines[i]);
            if (m.matches()) {
                if (!chunk.toString().isBlank()) {
                    last = run(chunk.toString(), source, chunkLine);
                }
                chunk.setLength(0);
                last = magic(m.group(1), m.group(2), m.group(3).strip(), source, firstLine + i);
                chunkLine = firstLine + i + 1;
            } else {
                chunk.append(lines[i]).append('\n');
            }
        }
        if (!chunk.toString().isBlank()) {
            last = run(chunk.toString(), source, chunkLine);
        }
        return last;
    }

    private Object magic(String percent, String name, String args, String source, int line) {
        String where = source.startsWith("cell ") ? "line " + line : source + " line " + line;
        if (percent.equals("%%")) {
            throw magicError(where, "cell magic %%" + name + " is not supported by this kernel"
                    + " (supported: %classpath, %jars, %load)");
        }
        switch (name) {
            case "classpath":
            case "jars":
                if (args.isEmpty()) {
                    throw magicError(where, "%" + name + " needs a path or glob, e.g. %" + name
                            + " lib/*.jar");
                }
                List<Path> paths;
                try {
                    paths = ClasspathGlob.resolve(args, workDir);
                } catch (RuntimeException e) {
                    throw magicError(where, e.getMessage());
                }
                for (Path p : paths) {
                    shell.addToClasspath(p.toString());
                }
                return null;
            case "load":
                if (args.isEmpty()) {
                    throw magicError(where, "%load needs a file, e.g. %load helpers.jsh");
                }
                Path file = workDir.resolve(unquote(args)).normalize();
                String code;
                try {
                    code = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw magicError(where, "%load cannot read " + file + ": " + e);
                }
                return runWithMagics(code.replace("\r\n", "\n"), file.getFileName().toString(), 1);
            case "maven":
            case "loadFromPOM":
            case "addMavenDependencies":
                throw magicError(where, "%" + name + " is not supported: the library reaches"
                        + " notebooks through the kernelspec's class path; resolve other jars with"
                        + " Maven and add them with %classpath");
            default:
                throw magicError(where, "unknown magic %" + name
                        + " (supported: %classpath, %jars, %load)");
        }
    }

    private static CellException magicError(String where, String message) {
        String text = where + ": " + message;
        return new CellException(CellException.Kind.MAGIC, "MagicError", lineNumber(where), text,
                List.of(text));
    }

    private static int lineNumber(String where) {
        Matcher m = Pattern.compile("line (\\d+)$").matcher(where);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"")
                || t.startsWith("'") && t.endsWith("'"))) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    /** Evaluates plain Java (no magics), snippet by snippet. */
    private Object run(String code, String source, int firstLine) {
        String rest = code;
        int pos = 0;
        Object last = null;
        while (true) {
            if (stopRequested) {
                throw interrupted(source, firstLine + lineOf(code, pos) - 1);
            }
            CompletionInfo ci = analysis.analyzeCompletion(rest);
            Completeness c = ci.completeness();
            if (c == Completeness.EMPTY) {
                return last;
            }
            // Incomplete or unparsable input is evaluated as it is: JShell then rejects it with a
            // diagnostic that names the position.
            String src = c.isComplete() && ci.source() != null ? ci.source() : rest;
            String next = c.isComplete() && ci.source() != null ? ci.remaining() : "";
            int start = pos + startOffset(rest, src);
            // JShell numbers stack-frame lines wrongly when a snippet starts with blank lines.
            int blank = 0;
            while (blank < src.length() && Character.isWhitespace(src.charAt(blank))) {
                blank++;
            }
            src = src.substring(blank);
            start += blank;
            Origin origin = new Origin(source, firstLine + lineOf(code, start) - 1);
            last = evalSnippet(src, origin);
            pos += rest.length() - next.length();
            rest = next;
        }
    }

    private Object evalSnippet(String src, Origin origin) {
        execution.clearLastValue();
        List<SnippetEvent> events = shell.eval(src);
        if (stopRequested) {
            throw interrupted(origin.source, origin.firstLine);
        }
        Object value = null;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue; // a dependent snippet's status changed; not this snippet's outcome
            }
            Snippet s = e.snippet();
            origins.put(s.id(), origin);
            if (e.status() == Snippet.Status.REJECTED) {
                throw compileError(s, src, origin);
            }
            if (e.exception() != null) {
                throw runtimeError(e.exception(), origin);
            }
            value = shownValue(s) ? execution.lastValue() : null;
        }
        return value;
    }

    /** Expressions show their value; declarations, statements and void calls do not. */
    private static boolean shownValue(Snippet s) {
        if (s instanceof ExpressionSnippet) {
            return !"void".equals(((ExpressionSnippet) s).typeName());
        }
        return s instanceof VarSnippet
                && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                && !"void".equals(((VarSnippet) s).typeName());
    }

    private CellException compileError(Snippet s, String src, Origin origin) {
        List<Diag> diags = shell.diagnostics(s).filter(Diag::isError).collect(Collectors.toList());
        if (diags.isEmpty()) {
            diags = shell.diagnostics(s).collect(Collectors.toList());
        }
        List<String> trace = new ArrayList<>();
        int firstLine = 0;
        for (Diag d : diags) {
            int at = (int) Math.max(0, Math.min(src.length(), d.getStartPosition()));
            int line = origin.firstLine + lineOf(src, at) - 1;
            if (firstLine == 0) {
                firstLine = line;
            }
            // JShell's wrapper class has no name a user knows; drop javac's "location: class ".
            String msg = d.getMessage(Locale.ROOT).lines()
                    .filter(l -> !l.strip().equals("location: class"))
                    .collect(Collectors.joining("\n"));
            trace.add(where(origin.source, line) + ": " + msg);
            String[] srcLines = src.split("\n", -1);
            int l = lineOf(src, at) - 1;
            if (l < srcLines.length) {
                trace.add("    " + srcLines[l]);
                trace.add("    " + " ".repeat(Math.max(0, at - lineStart(src, at))) + "^");
            }
        }
        if (trace.isEmpty()) {
            firstLine = origin.firstLine;
            trace.add(where(origin.source, firstLine) + ": the snippet does not compile");
        }
        return new CellException(CellException.Kind.COMPILE, "CompilationException", firstLine,
                trace.get(0), trace);
    }

    private CellException runtimeError(JShellException ex, Origin origin) {
        List<String> trace = new ArrayList<>();
        String name;
        String headline;
        if (ex instanceof UnresolvedReferenceException) {
            UnresolvedReferenceException u = (UnresolvedReferenceException) ex;
            String missing = shell.unresolvedDependencies(u.getSnippet())
                    .collect(Collectors.joining(", "));
            name = "UnresolvedReferenceException";
            headline = "'" + u.getSnippet().source().strip().lines().findFirst().orElse("")
                    + "' needs definitions that do not exist yet: " + missing;
        } else if (ex instanceof EvalException) {
            name = ((EvalException) ex).getExceptionClassName();
            headline = name + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
        } else {
            name = ex.getClass().getName();
            headline = String.valueOf(ex.getMessage());
        }
        int line = 0;
        Throwable t = ex;
        boolean first = true;
        while (t != null) {
            if (!first) {
                String cause = t instanceof EvalException
                        ? ((EvalException) t).getExceptionClassName()
                        : t.getClass().getName();
                trace.add("Caused by: " + cause + (t.getMessage() == null ? "" : ": " + t.getMessage()));
            }
            for (StackTraceElement f : t.getStackTrace()) {
                String mapped = frame(f);
                if (first && line == 0 && mapped != null) {
                    Origin o = origins.get(snippetId(f));
                    if (o != null && o.source.equals(origin.source)) {
                        line = o.firstLine + f.getLineNumber() - 1;
                    }
                }
                trace.add("    at " + (mapped != null ? mapped : f.toString()));
            }
            first = false;
            t = t.getCause();
        }
        if (line == 0) {
            line = origin.firstLine;
        }
        String message = where(origin.source, line) + ": " + headline;
        trace.add(0, message);
        return new CellException(CellException.Kind.RUNTIME, name, line, message, trace);
    }

    private CellException interrupted(String source, int line) {
        String message = where(source, line) + ": interrupted";
        return new CellException(CellException.Kind.INTERRUPTED, "Interrupted", line, message,
                List.of(message));
    }

    /** "line 3" for the running cell, "cell 2 line 3" or "helpers.jsh line 3" otherwise. */
    private String where(String source, int line) {
        return (source.equals("cell " + cellsStarted.get()) ? "" : source + " ") + "line " + line;
    }

    private String frame(StackTraceElement f) {
        String id = snippetId(f);
        Origin o = id == null ? null : origins.get(id);
        if (o == null) {
            return null;
        }
        String method = f.getMethodName() == null || f.getMethodName().isEmpty()
                ? "" : f.getMethodName() + " ";
        return method + "(" + where(o.source, o.firstLine + f.getLineNumber() - 1) + ")";
    }

    private static String snippetId(StackTraceElement f) {
        if (f.getFileName() == null) {
            return null;
        }
        Matcher m = SNIPPET_FILE.matcher(f.getFileName());
        return m.matches() ? m.group(1) : null;
    }

    // ---------------------------------------------------------------- text positions

    /** A snippet-sized piece of a cell, for completion and inspection. */
    private record Unit(String text, int start) {}

    private Unit unitAt(String cell, int cursor) {
        Objects.checkIndex(Math.max(0, cursor), cell.length() + 1);
        int lineStart = cell.lastIndexOf('\n', Math.max(0, cursor - 1)) + 1;
        int lineEnd = cell.indexOf('\n', cursor);
        String line = cell.substring(lineStart, lineEnd < 0 ? cell.length() : lineEnd);
        if (MAGIC.matcher(line).matches()) {
            return null;
        }
        // Only the code between the magic lines around the cursor is Java.
        int from = 0;
        int to = cell.length();
        int offset = 0;
        for (String l : cell.split("\n", -1)) {
            int end = offset + l.length();
            if (MAGIC.matcher(l).matches()) {
                if (end < cursor) {
                    from = end + 1;
                } else if (offset > cursor && to == cell.length()) {
                    to = offset;
                }
            }
            offset = end + 1;
        }
        String code = cell.substring(from, Math.min(to, cell.length()));
        String rest = code;
        int pos = 0;
        while (true) {
            CompletionInfo ci = analysis.analyzeCompletion(rest);
            boolean complete = ci.completeness().isComplete() && ci.source() != null;
            int consumed = complete ? rest.length() - ci.remaining().length() : rest.length();
            if (!complete || from + pos + consumed >= cursor || ci.remaining().isEmpty()) {
                return new Unit(rest.substring(0, consumed), from + pos);
            }
            pos += consumed;
            rest = ci.remaining();
        }
    }

    private static String withoutMagicLines(String cell) {
        return cell.lines().filter(l -> !MAGIC.matcher(l).matches())
                .collect(Collectors.joining("\n"));
    }

    /** Where {@code src} (a snippet, maybe with an added ';') begins in {@code rest}. */
    private static int startOffset(String rest, String src) {
        String probe = src.endsWith(";") && !rest.startsWith(src) ? src.substring(0, src.length() - 1)
                : src;
        if (rest.startsWith(probe)) {
            return 0;
        }
        String head = probe.strip();
        head = head.substring(0, Math.min(20, head.length()));
        int i = head.isEmpty() ? -1 : rest.indexOf(head);
        return Math.max(0, i);
    }

    /** 1-based line of offset {@code at} in {@code text}. */
    private static int lineOf(String text, int at) {
        int line = 1;
        for (int i = 0; i < Math.min(at, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int lineStart(String text, int at) {
        return text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
    }
}
