package org.wsss4j.kernel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Resolves the arguments of {@code %classpath}: paths or globs ({@code lib/*.jar}, {@code
 * deps/**.jar}), separated by spaces or the platform's path separator, relative to the notebook's
 * directory. A path or glob that matches nothing is an error naming it, never silently ignored.
 */
final class ClasspathGlob {
    private ClasspathGlob() {}

    static List<Path> resolve(String args, Path workDir) {
        List<Path> out = new ArrayList<>();
        for (String raw : split(args)) {
            List<Path> found = resolveOne(raw, workDir);
            if (found.isEmpty()) {
                throw new IllegalArgumentException(
                        "%classpath: '" + raw + "' matches nothing (relative to " + workDir + ")");
            }
            out.addAll(found);
        }
        return out;
    }

    private static List<String> split(String args) {
        List<String> out = new ArrayList<>();
        for (String word : args.trim().split("\\s+")) {
            for (String part : word.split(File.pathSeparator)) {
                String t = part.strip();
                if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"")
                        || t.startsWith("'") && t.endsWith("'"))) {
                    t = t.substring(1, t.length() - 1);
                }
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private static List<Path> resolveOne(String raw, Path workDir) {
        String spec = raw.startsWith("~" + File.separator) || raw.equals("~")
                ? System.getProperty("user.home") + raw.substring(1)
                : raw;
        if (!hasGlob(spec)) {
            Path p = workDir.resolve(spec).normalize();
            return Files.exists(p) ? List.of(p) : List.of();
        }
        // Walk from the deepest directory before the first glob character.
        String normalized = spec.replace(File.separatorChar, '/');
        int firstGlob = firstGlobChar(normalized);
        int cut = normalized.lastIndexOf('/', firstGlob);
        Path root = workDir.resolve(cut < 0 ? "." : normalized.substring(0, Math.max(cut, 1)))
                .normalize();
        String pattern = cut < 0 ? normalized : normalized.substring(cut + 1);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        int depth = pattern.contains("**") ? Integer.MAX_VALUE : pattern.split("/").length;
        try (Stream<Path> s = Files.walk(root, depth)) {
            return s.filter(p -> !p.equals(root) && m.matches(root.relativize(p)))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("%classpath: cannot list " + root, e);
        }
    }

    private static boolean hasGlob(String s) {
        return firstGlobChar(s) >= 0;
    }

    private static int firstGlobChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return i;
            }
        }
        return -1;
    }
}
