package org.wsss4j.data.weights;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The header of a safetensors file, read without loading any tensor: an 8-byte little-endian length
 * N, then N bytes of JSON mapping each tensor name to {@code dtype}, {@code shape} and {@code
 * data_offsets} (begin, end) into the data section that follows (plus an optional {@code
 * __metadata__} map of strings).
 *
 * <p>Reading checks that every tensor's byte range matches its dtype and shape, lies inside the data
 * section, and that the file is exactly as long as the header says: a partly downloaded file fails
 * here with its expected and actual length.
 *
 * @param tensors name → entry, in header order
 * @param metadata the {@code __metadata__} strings (empty when absent)
 */
public record SafetensorsHeader(
        Path file, long fileSize, Map<String, Entry> tensors, Map<String, String> metadata) {

    /** One tensor's dtype (e.g. "F32"), shape and data range relative to the data section. */
    public record Entry(String dtype, long[] shape, long begin, long end) {
        public long numel() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        public String shapeString() {
            return Arrays.toString(shape);
        }
    }

    /** Largest header accepted; real ones are tens of kilobytes. */
    static final long MAX_HEADER = 100L << 20;

    /** Bytes per element of the safetensors dtypes. */
    public static int bytesPerElement(String dtype) {
        return switch (dtype) {
            case "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3" -> 1;
            case "I16", "U16", "F16", "BF16" -> 2;
            case "I32", "U32", "F32" -> 4;
            case "I64", "U64", "F64" -> 8;
            default -> -1;
        };
    }

    /** Reads and checks the header of {@code file}; fails naming the file and the problem. */
    public static SafetensorsHeader read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": safetensors file not found");
        }
        long size = Files.size(file);
        if (size < 8) {
            throw new IOException(file + ": only " + size + " bytes; not a safetensors file");
        }
        long n;
        byte[] json;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] len = in.readNBytes(8);
            n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n <= 0 || n > MAX_HEADER || n > size - 8) {
                throw new IOException(
                        file + ": header length " + n + " is impossible for a file of " + size
                                + " bytes; not a safetensors file (or truncated)");
            }
            json = in.readNBytes((int) n);
        }
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new IOException(file + ": header is not a JSON object");
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IOException(file + ": header is not valid JSON (" + e.getMessage() + ")", e);
        }
        Map<String, Entry> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        long dataEnd = 0;
        for (Map.Entry<String, JsonElement> kv : root.entrySet()) {
            String name = kv.getKey();
            if (name.equals("__metadata__")) {
                if (kv.getValue().isJsonObject()) {
                    kv.getValue().getAsJsonObject().entrySet()
                            .forEach(m -> meta.put(m.getKey(), m.getValue().getAsString()));
                }
                continue;
            }
            Entry entry;
            try {
                JsonObject t = kv.getValue().getAsJsonObject();
                String dtype = t.get("dtype").getAsString();
                long[] shape = new long[t.getAsJsonArray("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.getAsJsonArray("shape").get(i).getAsLong();
                }
                long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
                long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
                entry = new Entry(dtype, shape, begin, end);
            } catch (RuntimeException e) {
                throw new IOException(
                        file + ": header entry '" + name + "' lacks dtype, shape or data_offsets", e);
            }
            int bpe = bytesPerElement(entry.dtype());
            if (bpe < 0) {
                throw new IOException(file + ": tensor '" + name + "' has unknown dtype " + entry.dtype());
            }
            if (entry.begin() < 0 || entry.end() < entry.begin()
                    || entry.end() - entry.begin() != entry.numel() * bpe) {
                throw new IOException(
                        file + ": tensor '" + name + "' (" + entry.dtype() + " " + entry.shapeString()
                                + ") has data_offsets [" + entry.begin() + ", " + entry.end()
                                + "], which do not hold " + entry.numel() * bpe + " bytes");
            }
            dataEnd = Math.max(dataEnd, entry.end());
            tensors.put(name, entry);
        }
        long expected = 8 + n + dataEnd;
        if (size != expected) {
            throw new IOException(
                    file + ": is " + size + " bytes but its header describes " + expected + " bytes"
                            + (size < expected ? " (truncated: an interrupted download?)" : ""));
        }
        return new SafetensorsHeader(
                file, size, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(meta));
    }
}
