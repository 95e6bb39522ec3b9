package org.wsss4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.wsss4j.runtime.AtomicFiles;

/**
 * numpy {@code .npz} files in and out, through DJL's own codec ({@link NDList#decode} / {@link
 * NDList#encode(OutputStream, NDList.Encoding)}), which keeps array names and reads both {@code
 * np.savez} and {@code np.savez_compressed}.
 *
 * <p>Before decoding, every member's {@code .npy} header is checked, because DJL 0.35.1 rejects
 * Fortran-ordered arrays with an unnamed error and silently misreads big-endian ones: a file with
 * either fails here, naming the key.
 */
public final class Npz {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");

    private Npz() {}

    /**
     * Reads every array of an {@code .npz}, keyed by its name, in file order.
     *
     * @param file the {@code .npz}
     * @param manager where the arrays are created (its device)
     * @throws IOException naming the file (and key) when it is not a readable npz
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        checkHeaders(file);
        NDList list;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            list = NDList.decode(manager, in);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException(file + ": not a readable .npz (" + e.getMessage() + ")", e);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (NDArray a : list) {
            out.put(a.getName(), a);
        }
        return out;
    }

    /**
     * Writes arrays under the given names as an uncompressed {@code .npz}, atomically (temp file
     * in the target folder, then rename), so a killed run never leaves a truncated file.
     */
    public static void write(Path file, Map<String, NDArray> arrays) throws IOException {
        NDList list = new NDList();
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            e.getValue().setName(e.getKey());
            list.add(e.getValue());
        }
        AtomicFiles.write(file, os -> list.encode(os, NDList.Encoding.NPZ));
    }

    /** {@code [2, 16, 15]}: shapes as numpy users write them. */
    public static String format(Shape s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.dimension(); i++) {
            b.append(i == 0 ? "" : ", ").append(s.get(i));
        }
        return b.append(']').toString();
    }

    /** Rejects members DJL would misread or reject without naming them. */
    private static void checkHeaders(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String key = e.getName().endsWith(".npy")
                        ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                String header;
                try (InputStream in = zip.getInputStream(e)) {
                    header = npyHeader(in);
                }
                if (header == null) {
                    throw new IOException(file + ": member '" + e.getName() + "' is not a .npy array");
                }
                Matcher d = DESCR.matcher(header);
                Matcher f = FORTRAN.matcher(header);
                if (!d.find() || !f.find()) {
                    throw new IOException(file + ": key '" + key + "' has an unreadable .npy header: "
                            + header.trim());
                }
                String descr = d.group(1);
                if (descr.startsWith(">") && !descr.endsWith("1")) {
                    throw new IOException(file + ": key '" + key + "' is big-endian ('" + descr
                            + "'); save it little-endian, e.g. a.astype('<" + descr.substring(1)
                            + "')");
                }
                if (f.group(1).equals("True")) {
                    throw new IOException(file + ": key '" + key + "' is Fortran-ordered; save"
                            + " np.ascontiguousarray(a) instead");
                }
            }
        } catch (ZipException e) {
            throw new IOException(file + ": not an .npz (zip) file (" + e.getMessage() + ")", e);
        }
    }

    /** The header dict of a .npy stream (format versions 1–3), or null without the magic. */
    private static String npyHeader(InputStream in) throws IOException {
        byte[] start = in.readNBytes(8);
        if (start.length < 8 || (start[0] & 0xFF) != 0x93 || start[1] != 'N' || start[2] != 'U'
                || start[3] != 'M' || start[4] != 'P' || start[5] != 'Y') {
            return null;
        }
        int major = start[6];
        byte[] len = in.readNBytes(major == 1 ? 2 : 4);
        long n = 0;
        for (int i = len.length - 1; i >= 0; i--) {
            n = (n << 8) | (len[i] & 0xFF);
        }
        if (n > 1 << 20) {
            return null;
        }
        return new String(in.readNBytes((int) n),
                major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }
}
