package org.wsss4j.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A fingerprint of the compiled code of some packages, so cached checkpoints are keyed by the
 * code that made them: change the model, the loop or the data pipeline and the cache misses,
 * without anyone remembering to bump a number.
 */
public final class CodeVersion {
    private CodeVersion() {}

    /** SHA-256 (first 12 hex digits) over the sorted .class files of {@code packages}. */
    public static String of(Class<?> anchor, String... packages) {
        try {
            Path src = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<String> prefixes = new ArrayList<>();
            for (String p : packages) {
                prefixes.add(p.replace('.', '/') + "/");
            }
            if (Files.isDirectory(src)) {
                List<Path> files = new ArrayList<>();
                for (String prefix : prefixes) {
                    Path dir = src.resolve(prefix);
                    if (Files.isDirectory(dir)) {
                        try (Stream<Path> s = Files.list(dir)) {
                            s.filter(f -> f.toString().endsWith(".class")).forEach(files::add);
                        }
                    }
                }
                files.sort(null);
                for (Path f : files) {
                    md.update(src.relativize(f).toString().getBytes());
                    md.update(Files.readAllBytes(f));
                }
            } else {
                try (JarFile jar = new JarFile(src.toFile())) {
                    List<JarEntry> entries = new ArrayList<>();
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        JarEntry je = e.nextElement();
                        String n = je.getName();
                        if (n.endsWith(".class") && prefixes.stream().anyMatch(
                                p -> n.startsWith(p) && n.indexOf('/', p.length()) < 0)) {
                            entries.add(je);
                        }
                    }
                    entries.sort((a, b) -> a.getName().compareTo(b.getName()));
                    for (JarEntry je : entries) {
                        md.update(je.getName().getBytes());
                        try (InputStream in = jar.getInputStream(je)) {
                            md.update(in.readAllBytes());
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (IOException | URISyntaxException | NoSuchAlgorithmException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The training-relevant code: model, training loop and data pipeline. */
    public static String training() {
        return of(CodeVersion.class, "org.wsss4j.model", "org.wsss4j.train", "org.wsss4j.data");
    }
}
