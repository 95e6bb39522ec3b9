package org.wsss4j.data.coco;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A COCO instances file ({@code instances_train2014.json}, {@code instances_val2014.json}) read
 * with gson's streaming reader: the 2014 train file is about a third of a gigabyte, so no JSON tree is
 * built; only the fields the converter needs are kept.
 *
 * @param images every image of the file, in file order
 * @param categories every category, in file order
 * @param annotations annotations by image id, each list in file order
 */
public record CocoInstances(
        Path file,
        List<Image> images,
        List<Category> categories,
        Map<Long, List<Annotation>> annotations) {

    /** One entry of "images". */
    public record Image(long id, String fileName, int height, int width) {}

    /** One entry of "categories". */
    public record Category(int id, String name) {}

    /** One entry of "annotations". */
    public record Annotation(
            long id, long imageId, int categoryId, boolean crowd, double area, Segmentation segmentation) {}

    /** A segmentation: polygon parts or RLE (uncompressed counts or compressed string). */
    public sealed interface Segmentation permits Polygons, Rle, CompressedRle {
        /** Row-major 0/1 mask of {@code h × w}; fails when the RLE size disagrees with the image. */
        byte[] rasterize(int h, int w);
    }

    /** Polygon parts, each x0, y0, x1, y1, … (united when rasterised). */
    public record Polygons(List<double[]> parts) implements Segmentation {
        @Override
        public byte[] rasterize(int h, int w) {
            return CocoPolygon.rasterize(parts, h, w);
        }
    }

    /** Uncompressed RLE: {@code {"counts": [..], "size": [h, w]}}. */
    public record Rle(long[] counts, int height, int width) implements Segmentation {
        @Override
        public byte[] rasterize(int h, int w) {
            checkSize(height, width, h, w);
            return CocoRle.decode(counts, h, w);
        }
    }

    /** Compressed RLE: {@code {"counts": "string", "size": [h, w]}}. */
    public record CompressedRle(String counts, int height, int width) implements Segmentation {
        @Override
        public byte[] rasterize(int h, int w) {
            checkSize(height, width, h, w);
            return CocoRle.decode(CocoRle.decodeString(counts), h, w);
        }
    }

    private static void checkSize(int rh, int rw, int h, int w) {
        if (rh != h || rw != w) {
            throw new IllegalArgumentException(
                    "RLE size [" + rh + ", " + rw + "] differs from the image's [" + h + ", " + w + "]");
        }
    }

    /** Annotations of one image (empty when it has none). */
    public List<Annotation> annotationsOf(long imageId) {
        return annotations.getOrDefault(imageId, List.of());
    }

    /** Reads a COCO instances file; fails naming the file and the JSON path of the problem. */
    public static CocoInstances read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": COCO annotation file not found");
        }
        List<Image> images = new ArrayList<>();
        List<Category> categories = new ArrayList<>();
        Map<Long, List<Annotation>> byImage = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                JsonReader in = new JsonReader(r)) {
            try {
                in.beginObject();
                while (in.hasNext()) {
                    switch (in.nextName()) {
                        case "images" -> {
                            in.beginArray();
                            while (in.hasNext()) {
                                images.add(readImage(in));
                            }
                            in.endArray();
                        }
                        case "categories" -> {
                            in.beginArray();
                            while (in.hasNext()) {
                                categories.add(readCategory(in));
                            }
                            in.endArray();
                        }
                        case "annotations" -> {
                            in.beginArray();
                            while (in.hasNext()) {
                                Annotation a = readAnnotation(in);
                                byImage.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
                            }
                            in.endArray();
                        }
                        default -> in.skipValue();
                    }
                }
                in.endObject();
            } catch (IllegalStateException
                    | JsonParseException
                    | NumberFormatException
                    | com.google.gson.stream.MalformedJsonException e) {
                throw new IOException(
                        file + ": not a COCO instances file at " + in.getPath() + " (" + e.getMessage()
                                + ")",
                        e);
            } catch (java.io.EOFException e) {
                throw new IOException(file + ": truncated JSON at " + in.getPath(), e);
            }
        }
        if (images.isEmpty()) {
            throw new IOException(file + ": has no \"images\"");
        }
        if (categories.isEmpty()) {
            throw new IOException(file + ": has no \"categories\"");
        }
        Map<Long, List<Annotation>> frozen = new HashMap<>();
        byImage.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new CocoInstances(
                file, List.copyOf(images), List.copyOf(categories), Collections.unmodifiableMap(frozen));
    }

    private static Image readImage(JsonReader in) throws IOException {
        long id = -1;
        String fileName = null;
        int h = -1, w = -1;
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "id" -> id = in.nextLong();
                case "file_name" -> fileName = in.nextString();
                case "height" -> h = in.nextInt();
                case "width" -> w = in.nextInt();
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (id < 0 || fileName == null || h <= 0 || w <= 0) {
            throw new IllegalStateException(
                    "image entry needs id, file_name, height > 0 and width > 0 (got id=" + id
                            + ", file_name=" + fileName + ", height=" + h + ", width=" + w + ")");
        }
        return new Image(id, fileName, h, w);
    }

    private static Category readCategory(JsonReader in) throws IOException {
        int id = -1;
        String name = null;
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "id" -> id = in.nextInt();
                case "name" -> name = in.nextString();
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (id < 0 || name == null) {
            throw new IllegalStateException("category entry needs id and name");
        }
        return new Category(id, name);
    }

    private static Annotation readAnnotation(JsonReader in) throws IOException {
        long id = -1, imageId = -1;
        int categoryId = -1;
        boolean crowd = false;
        double area = Double.NaN;
        Segmentation seg = null;
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "id" -> id = in.nextLong();
                case "image_id" -> imageId = in.nextLong();
                case "category_id" -> categoryId = in.nextInt();
                case "iscrowd" -> crowd = in.nextInt() != 0;
                case "area" -> area = in.nextDouble();
                case "segmentation" -> seg = readSegmentation(in);
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (id < 0 || imageId < 0 || categoryId < 0 || seg == null || Double.isNaN(area)) {
            throw new IllegalStateException(
                    "annotation " + id + " needs id, image_id, category_id, area and segmentation");
        }
        return new Annotation(id, imageId, categoryId, crowd, area, seg);
    }

    private static Segmentation readSegmentation(JsonReader in) throws IOException {
        if (in.peek() == JsonToken.BEGIN_ARRAY) {
            List<double[]> parts = new ArrayList<>();
            in.beginArray();
            while (in.hasNext()) {
                List<Double> xy = new ArrayList<>();
                in.beginArray();
                while (in.hasNext()) {
                    xy.add(in.nextDouble());
                }
                in.endArray();
                if (xy.size() % 2 != 0) {
                    throw new IllegalStateException(
                            "polygon with an odd number of coordinates (" + xy.size() + ")");
                }
                double[] a = new double[xy.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = xy.get(i);
                }
                parts.add(a);
            }
            in.endArray();
            return new Polygons(List.copyOf(parts));
        }
        long[] counts = null;
        String compressed = null;
        int h = -1, w = -1;
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "counts" -> {
                    if (in.peek() == JsonToken.STRING) {
                        compressed = in.nextString();
                    } else {
                        List<Long> c = new ArrayList<>();
                        in.beginArray();
                        while (in.hasNext()) {
                            c.add(in.nextLong());
                        }
                        in.endArray();
                        counts = c.stream().mapToLong(Long::longValue).toArray();
                    }
                }
                case "size" -> {
                    in.beginArray();
                    h = in.nextInt();
                    w = in.nextInt();
                    in.endArray();
                }
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (h <= 0 || w <= 0 || (counts == null && compressed == null)) {
            throw new IllegalStateException("RLE segmentation needs counts and size [h, w]");
        }
        return compressed != null ? new CompressedRle(compressed, h, w) : new Rle(counts, h, w);
    }
}
