package org.wsss4j.kernel.harness;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A notebook file as the tests see it: its code cells, and the results folder it declares in its
 * metadata ({@code "wsss4j": {"results": "quickstart"}}) under which it must write a CSV.
 *
 * @param path the .ipynb file
 * @param codeCells source of every code cell, in order (blank cells included)
 * @param resultsDir the declared folder under the results root
 */
public record Notebook(Path path, List<String> codeCells, String resultsDir) {

    /** Parses an .ipynb; fails naming the file and the missing or malformed part. */
    public static Notebook read(Path path) {
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(path, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read notebook " + path, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Notebook " + path + " is not valid JSON: "
                    + e.getMessage(), e);
        }
        if (!root.has("cells") || !root.get("cells").isJsonArray()) {
            throw new IllegalArgumentException("Notebook " + path + " has no \"cells\" array");
        }
        List<String> code = new ArrayList<>();
        for (JsonElement c : root.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if ("code".equals(cell.get("cell_type").getAsString())) {
                code.add(source(cell.get("source")));
            }
        }
        return new Notebook(path, List.copyOf(code), resultsDir(root, path));
    }

    /** Every {@code *.ipynb} directly in {@code dir}, sorted; none when the folder is absent. */
    public static List<Path> listIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".ipynb"))
                    .filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list notebooks in " + dir, e);
        }
    }

    /** File name without {@code .ipynb}: the test's name. */
    public String name() {
        String f = path.getFileName().toString();
        return f.endsWith(".ipynb") ? f.substring(0, f.length() - ".ipynb".length()) : f;
    }

    /** Number of code cells with any code (blank cells are not executed by nbclient). */
    public long nonBlankCodeCells() {
        return codeCells.stream().filter(s -> !s.isBlank()).count();
    }

    /** nbformat stores source as a string or as a list of lines. */
    static String source(JsonElement src) {
        if (src == null || src.isJsonNull()) {
            return "";
        }
        if (src.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonElement line : (JsonArray) src) {
                sb.append(line.getAsString());
            }
            return sb.toString();
        }
        return src.getAsString();
    }

    private static String resultsDir(JsonObject root, Path path) {
        JsonObject meta = root.has("metadata") ? root.getAsJsonObject("metadata") : new JsonObject();
        JsonElement w = meta.get("wsss4j");
        JsonElement r = w != null && w.isJsonObject() ? w.getAsJsonObject().get("results") : null;
        if (r == null || !r.isJsonPrimitive() || r.getAsString().isBlank()) {
            throw new IllegalArgumentException("Notebook " + path + " declares no results folder:"
                    + " add \"wsss4j\": {\"results\": \"<folder>\"} to its metadata");
        }
        String dir = r.getAsString();
        if (dir.contains("..") || Path.of(dir).isAbsolute()) {
            throw new IllegalArgumentException("Notebook " + path + ": results folder '" + dir
                    + "' must be a plain relative name");
        }
        return dir;
    }
}
