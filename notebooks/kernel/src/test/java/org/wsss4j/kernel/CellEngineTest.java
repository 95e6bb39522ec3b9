package org.wsss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.notebook.Nb;

class CellEngineTest {
    @TempDir static Path dir;
    static CellEngine engine;

    @BeforeAll
    static void start() {
        engine = new CellEngine(CellEngine.jvmClasspath(), dir);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void trailingExpressionIsReturnedAsTheObjectItself() {
        assertEquals(42, engine.eval("int x = 2;\nx * 21"));
        assertInstanceOf(BufferedImage.class,
                engine.eval("new java.awt.image.BufferedImage(3, 2, 1)"));
        assertEquals("abc", engine.eval("String s = \"abc\";\ns"));
    }

    @Test
    void declarationsStatementsAndVoidCallsShowNothing() {
        assertNull(engine.eval("int q = 5;"));
        assertNull(engine.eval("void noop() {}"));
        assertNull(engine.eval("noop()"));
        assertNull(engine.eval("System.out.print(\"\")"));
        assertNull(engine.eval("String nothing = null;\nnothing"));
        assertEquals(6, engine.eval("q + 1"), "state carries across cells");
    }

    @Test
    void compileErrorNamesTheCellLine() {
        CellException e = assertThrows(CellException.class,
                () -> engine.eval("int a1 = 1;\nint b1 = 2;\nint c1 = undefinedThing + a1;"));
        assertEquals(CellException.Kind.COMPILE, e.kind());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("line 3: cannot find symbol"), e.getMessage());
        assertTrue(String.join("\n", e.trace()).contains("undefinedThing"), e.trace().toString());
    }

    @Test
    void compileErrorInsideAMultiLineSnippetNamesItsLine() {
        CellException e = assertThrows(CellException.class,
                () -> engine.eval("// helpers\n\nint twice(int v) {\n  int w = v;\n  return w * \"x\";\n}"));
        assertEquals(5, e.line(), e.getMessage());
    }

    @Test
    void snippetsAfterAFailureDoNotRun() {
        assertThrows(CellException.class,
                () -> engine.eval("int before = 1;\nint bad = nope;\nint after = 3;"));
        assertEquals(1, engine.eval("before"));
        CellException e = assertThrows(CellException.class, () -> engine.eval("after"));
        assertEquals(CellException.Kind.COMPILE, e.kind());
    }

    @Test
    void runtimeExceptionNamesTheCellLineAndTheExceptionClass() {
        CellException e = assertThrows(CellException.class, () -> engine.eval(
                "int y = 1;\n// a comment line\nif (y > 0)\n    throw new IllegalStateException(\"boom\");"));
        assertEquals(CellException.Kind.RUNTIME, e.kind());
        assertEquals("java.lang.IllegalStateException", e.errorName());
        assertEquals(4, e.line(), e.getMessage());
        assertEquals("line 4: java.lang.IllegalStateException: boom", e.getMessage());
    }

    @Test
    void framesInEarlierCellsNameThatCell() {
        engine.eval("int fails(int v) {\n  if (v > 2)\n    throw new ArithmeticException(\"too big\");\n  return v;\n}");
        CellException e = assertThrows(CellException.class, () -> engine.eval("int r = 1;\nfails(7)"));
        assertEquals(2, e.line());
        String trace = String.join("\n", e.trace());
        assertTrue(trace.matches("(?s).*fails \\(cell \\d+ line 3\\).*"), trace);
    }

    @Test
    void cellsRunWithTheSnippetLoaderAsContextClassLoader() {
        assertSame(engine.classLoader(),
                engine.eval("Thread.currentThread().getContextClassLoader()"));
        // The library comes from the JVM class path, loaded once (not again by the snippet loader).
        assertSame(Nb.class, engine.eval("org.wsss4j.notebook.Nb.class"));
    }

    @Test
    void everyCellRunsOnTheSameThreadSoThreadLocalsPersist() {
        Object first = engine.eval("Thread.currentThread()");
        assertInstanceOf(Thread.class, first);
        assertSame(first, engine.eval("int unrelated = 0;\nThread.currentThread()"));
        engine.eval("ThreadLocal<String> local = new ThreadLocal<>();\nlocal.set(\"kept\");");
        assertEquals("kept", engine.eval("local.get()"));
    }

    @Test
    void displayIsAvailableWithoutAnImport() {
        List<Object> shown = new ArrayList<>();
        Nb.setDisplay(shown::add);
        try {
            assertNull(engine.eval("display(\"hello\")"));
        } finally {
            Nb.setDisplay(null);
        }
        assertEquals(List.of("hello"), shown);
    }

    @Test
    void completionReturnsCandidates() {
        engine.eval("String word = \"x\";");
        String cell = "int n = 1;\nword.len";
        CellEngine.Completion c = engine.complete(cell, cell.length());
        assertTrue(c.candidates().contains("length()"), c.candidates().toString());
        assertEquals(cell.length() - "len".length(), c.start());
        assertEquals(cell.length(), c.end());
        CellEngine.Completion n = engine.complete("org.wsss4j.notebook.Nb.ini", 26);
        assertTrue(n.candidates().contains("init()"), n.candidates().toString());
    }

    @Test
    void readinessTellsCompleteFromIncomplete() {
        assertEquals(CellEngine.Readiness.COMPLETE, engine.readiness("int z = 1;\nz"));
        assertEquals(CellEngine.Readiness.INCOMPLETE, engine.readiness("for (int i = 0; i < 3; i++) {"));
        assertEquals(CellEngine.Readiness.COMPLETE, engine.readiness("%load x.jsh\nint k = 1;"));
    }

    @Test
    void interruptStopsABusyLoopAndTheSessionGoesOn() throws Exception {
        try (CellEngine own = new CellEngine(CellEngine.jvmClasspath(), dir)) {
            own.eval("long spins = 0;");
            CompletableFuture<Object> cell = CompletableFuture.supplyAsync(
                    () -> own.eval("int k = 1;\nwhile (true) { spins++; }\n"));
            // Let the loop spin (the first cell of a session also compiles for a while).
            Thread.sleep(2000);
            assertFalse(cell.isDone(), "the busy cell ended by itself");
            own.stop();
            Throwable t = assertThrows(Exception.class, () -> cell.get(10, TimeUnit.SECONDS));
            CellException e = assertInstanceOf(CellException.class, t.getCause());
            assertEquals(CellException.Kind.INTERRUPTED, e.kind());
            assertTrue((Long) own.eval("spins") > 0, "the loop ran before it was stopped");
            assertEquals(2, own.eval("1 + 1"));
        }
    }

    @Test
    void interruptStopsASleepingCell() throws Exception {
        try (CellEngine own = new CellEngine(CellEngine.jvmClasspath(), dir)) {
            CompletableFuture<Object> cell = CompletableFuture.supplyAsync(
                    () -> own.eval("Thread.sleep(120_000);\nint never = 1;"));
            Thread.sleep(1500);
            own.stop();
            Throwable t = assertThrows(Exception.class, () -> cell.get(10, TimeUnit.SECONDS));
            assertInstanceOf(CellException.class, t.getCause());
            assertThrows(CellException.class, () -> own.eval("never"));
        }
    }

    @Test
    void loadRunsASnippetFileAndNamesItsLinesInErrors() throws IOException {
        Files.writeString(dir.resolve("helpers.jsh"), "// helpers\nint triple(int v) {\n  return 3 * v;\n}\n");
        assertEquals(12, engine.eval("%load helpers.jsh\ntriple(4)"));
        Files.writeString(dir.resolve("broken.jsh"), "int ok = 1;\nint notOk = missing;\n");
        CellException e = assertThrows(CellException.class, () -> engine.eval("%load broken.jsh"));
        assertTrue(e.getMessage().startsWith("broken.jsh line 2:"), e.getMessage());
    }

    @Test
    void classpathMagicAddsUserJarsToCompilerAndContextLoader() throws Exception {
        Path jar = userJar(dir.resolve("jars"));
        assertNull(engine.eval("%classpath jars/*.jar"));
        assertEquals(List.of(jar), engine.addedClasspath());
        assertEquals("hi from a user jar", engine.eval("new demo.Hello().hi()"));
        // ServiceLoader through the context class loader sees the jar's services (DJL's way).
        assertEquals("demo.Hello", engine.eval(
                "java.util.ServiceLoader.load(java.util.function.Supplier.class)"
                        + ".stream().map(p -> p.type().getName()).filter(n -> n.startsWith(\"demo\"))"
                        + ".findFirst().orElse(\"none\")"));
    }

    @Test
    void magicsFailWithAClearMessage() {
        CellException none = assertThrows(CellException.class,
                () -> engine.eval("int m = 1;\n%classpath nowhere/*.jar"));
        assertEquals(CellException.Kind.MAGIC, none.kind());
        assertTrue(none.getMessage().contains("line 2") && none.getMessage().contains("nowhere/*.jar"),
                none.getMessage());
        CellException unknown = assertThrows(CellException.class, () -> engine.eval("%maven a:b:1"));
        assertTrue(unknown.getMessage().contains("%classpath"), unknown.getMessage());
        assertFalse(assertThrows(CellException.class, () -> engine.eval("%%time\n1"))
                .getMessage().isEmpty());
    }

    /** A jar with demo.Hello (a Supplier service), compiled here so the test needs no fixture. */
    private static Path userJar(Path out) throws IOException {
        Path src = dir.resolve("src/demo/Hello.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package demo;\npublic class Hello implements java.util.function.Supplier<String> {\n"
                + "  public String hi() { return \"hi from a user jar\"; }\n"
                + "  public String get() { return hi(); }\n}\n");
        Path classes = dir.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), src.toString()));
        Files.createDirectories(out);
        Path jar = out.resolve("demo.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
            j.putNextEntry(new JarEntry("demo/Hello.class"));
            j.write(Files.readAllBytes(classes.resolve("demo/Hello.class")));
            j.putNextEntry(new JarEntry("META-INF/services/java.util.function.Supplier"));
            j.write("demo.Hello\n".getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        return jar;
    }
}
