package org.wsss4j.kernel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;

/**
 * The Jupyter side of the kit's kernel, on JJava's protocol base ({@code jjava-jupyter}): execute,
 * complete, inspect, is_complete and interrupt requests go to one {@link CellEngine}; values and
 * {@code display(...)} calls become MIME bundles through {@link Displays}.
 */
public final class JavaKernel extends BaseKernel {
    private final CellEngine engine;
    private final Runnable onShutdown;

    /**
     * @param engine the JShell session the cells run in
     * @param onShutdown called first thing on a shutdown request (the launcher ends the JVM)
     */
    public JavaKernel(CellEngine engine, Runnable onShutdown) {
        super("wsss4j", version(),
                new LanguageInfo.Builder("java")
                        .version(Runtime.version().toString())
                        .mimetype("text/x-java-source")
                        .fileExtension(".jshell")
                        .pygments("java")
                        .codemirror("java")
                        .build(),
                List.of(),
                null,
                new JupyterIO(StandardCharsets.UTF_8),
                new CommManager(),
                new Renderer(),
                null,
                new MagicsRegistry(),
                false,
                new StringStyler.Builder()
                        .addPrimaryStyle(TextColor.BOLD_RESET_FG)
                        .addSecondaryStyle(TextColor.BOLD_RED_FG)
                        .addHighlightStyle(TextColor.BOLD_RESET_FG)
                        .build());
        this.engine = engine;
        this.onShutdown = onShutdown;
    }

    private static String version() {
        String v = JavaKernel.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String getBanner() {
        return "Java " + Runtime.version() + " :: wsss4j kernel " + version()
                + " (JShell in the kernel JVM)";
    }

    @Override
    public void onStartup() {
        super.onStartup();
        // Nb.show(...) and display(...) reach the notebook only while a cell is running.
        Display.install(value -> display(Displays.render(value)));
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        // First, so nothing below can delay the exit. The JShell session is not closed: the JVM
        // ends right after the reply, and closing the compiler would only slow that down.
        onShutdown.run();
        engine.stop();
        Display.install(null);
        super.onShutdown(isRestarting);
    }

    @Override
    public Object evalRaw(String source) {
        return engine.eval(source);
    }

    @Override
    public DisplayData eval(String source) {
        Object value = evalRaw(source);
        return value == null ? null : Displays.render(value);
    }

    @Override
    public void interrupt() {
        engine.stop();
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        String doc = engine.inspect(code, charIndex(code, at));
        return doc == null ? null : new DisplayData(doc);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        CellEngine.Completion c = engine.complete(code, charIndex(code, at));
        // Jupyter counts cursor positions in code points, Java strings in UTF-16 units.
        return new ReplacementOptions(c.candidates(), codePoints(code, c.start()),
                codePoints(code, c.end()));
    }

    @Override
    public String isComplete(String code) {
        switch (engine.readiness(code)) {
            case COMPLETE:
                return IS_COMPLETE_YES;
            case INCOMPLETE:
                return "    ";
            default:
                return IS_COMPLETE_BAD;
        }
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof CellException) {
            List<String> lines = new ArrayList<>();
            List<String> trace = ((CellException) e).trace();
            for (int i = 0; i < trace.size(); i++) {
                lines.add(i == 0 ? errorStyler.secondary(trace.get(i)) : trace.get(i));
            }
            return lines;
        }
        return super.formatError(e);
    }

    static int charIndex(String s, int codePoint) {
        int cp = Math.max(0, Math.min(codePoint, s.codePointCount(0, s.length())));
        return s.offsetByCodePoints(0, cp);
    }

    static int codePoints(String s, int charIndex) {
        return s.codePointCount(0, Math.max(0, Math.min(charIndex, s.length())));
    }
}
