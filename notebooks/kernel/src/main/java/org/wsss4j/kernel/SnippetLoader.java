package org.wsss4j.kernel;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/**
 * Loads JShell's compiled snippet classes inside this JVM, with the kernel's own class loader as
 * parent, and takes the jars that {@code %classpath} adds.
 *
 * <p>The kernel JVM's class path (the library and its dependencies, from the kernelspec) is given
 * to the compiler but never re-added here: loading DJL's classes a second time, in a child loader,
 * would break its engine discovery. Only paths outside that base class path become URLs of this
 * loader, which is also the context class loader of every cell, so {@code ServiceLoader} look-ups
 * in user jars work.
 */
final class SnippetLoader implements LoaderDelegate {
    private final Loader loader;
    private final Set<String> base;
    private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();
    private final Set<Path> added = new LinkedHashSet<>();

    /**
     * @param parent loader of the kernel (and the library) classes
     * @param baseClasspath entries already visible through {@code parent}
     */
    SnippetLoader(ClassLoader parent, List<Path> baseClasspath) {
        this.loader = new Loader(parent);
        this.base = new LinkedHashSet<>();
        for (Path p : baseClasspath) {
            base.add(normal(p));
        }
    }

    /** The loader of snippet classes and of {@code %classpath} jars. */
    ClassLoader classLoader() {
        return loader;
    }

    /** Entries {@code %classpath} added so far, in order. */
    synchronized List<Path> addedPaths() {
        return List.copyOf(added);
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException {
        boolean[] installed = new boolean[cbcs.length];
        for (ClassBytecodes c : cbcs) {
            loader.declare(c.name(), c.bytecodes());
        }
        int i = 0;
        try {
            for (ClassBytecodes c : cbcs) {
                Class<?> k = loader.loadClass(c.name());
                loaded.put(c.name(), k);
                installed[i++] = true;
                // Links the class now, so a bad class fails at load, not in the middle of a cell.
                k.getDeclaredMethods();
            }
        } catch (Throwable t) {
            throw new ClassInstallException("load: " + t.getMessage(), installed);
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] cbcs) {
        for (ClassBytecodes c : cbcs) {
            loader.declare(c.name(), c.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String classpath) throws InternalException {
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            String key = normal(p);
            synchronized (this) {
                if (base.contains(key) || !added.add(p.toAbsolutePath().normalize())) {
                    continue;
                }
            }
            try {
                loader.addURL(p.toAbsolutePath().normalize().toUri().toURL());
            } catch (MalformedURLException e) {
                throw new InternalException("Bad class path entry '" + entry + "': " + e.getMessage());
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> k = loaded.get(name);
        return k != null ? k : loader.loadClass(name);
    }

    private static String normal(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /** Parent-first loader that also defines classes from bytes JShell hands over. */
    private static final class Loader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> declared = new ConcurrentHashMap<>();

        Loader(ClassLoader parent) {
            super("wsss4j-snippets", new URL[0], parent);
        }

        void declare(String name, byte[] bytes) {
            declared.put(name, bytes);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = declared.get(name);
            if (b != null) {
                return defineClass(name, b, 0, b.length);
            }
            return super.findClass(name);
        }

        @Override
        protected void addURL(URL url) {
            super.addURL(url);
        }
    }
}
