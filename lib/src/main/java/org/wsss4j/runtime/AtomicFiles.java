package org.wsss4j.runtime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;

/**
 * Every file the kit writes goes through here: into a temporary file beside the target, then
 * renamed over it with ATOMIC_MOVE. A killed or failed run therefore leaves either the previous
 * file or the complete new one, never a truncated file, and no temporary file behind (names start
 * with {@code .tmp-}, so folder listings by extension never pick one up).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the content of a file into the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Streams {@code content} into {@code file} atomically; creates missing parent folders. */
    public static void write(Path file, Content content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String name = file.getFileName().toString();
        // Keep the temporary name within the file system's 255-byte limit for long names.
        Path tmp = Files.createTempFile(parent,
                ".tmp-" + name.substring(0, Math.min(name.length(), 64)) + "-", ".tmp");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                content.writeTo(os);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    /** UTF-8 text, written as given. */
    public static void writeString(Path file, CharSequence text) throws IOException {
        write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** UTF-8 lines, each ended by {@code \n} (also the last). */
    public static void writeLines(Path file, Collection<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        writeString(file, sb);
    }

    /** Copies {@code source} to {@code file} atomically. */
    public static void copy(Path source, Path file) throws IOException {
        write(file, out -> Files.copy(source, out));
    }
}
