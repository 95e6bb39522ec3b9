package org.wsss4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsss4j.cli.CliRun.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.methods.adcam.AdCam;
import org.wsss4j.methods.adcam.AdCamConfig;
import org.wsss4j.methods.adcam.AttentionSource;
import org.wsss4j.methods.adcam.Diffusion;
import org.wsss4j.methods.adcam.Refinement;
import org.wsss4j.runtime.Engines;

/** {@code wsss4j refine} through npz files written by DJL's encoder in a temp folder. */
class RefineCommandTest {
    private static NDManager manager;
    @TempDir Path dir;

    @BeforeAll
    static void start() {
        Engines.init();
        manager = NDManager.newBaseManager(Engines.device());
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void adcamRoundTripMatchesTheLibrary() throws IOException {
        NDArray cam = random(new Shape(2, 3, 2, 3), 1);
        NDArray attn = random(new Shape(2, 6, 6), 2);
        Path in = npz("in.npz", Map.of("cam", cam, "attn", attn, "labels", manager.arange(3)));
        Path out = dir.resolve("sub/out.npz");
        CliRun r = run("refine", "--method", "adcam", "--in", in.toString(),
                "--out", out.toString(),
                "--candidate", "cosine", "--steps", "3", "--restart", "0.25");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("adcam-cosine-t3-r0.25"), r.out());
        Map<String, NDArray> got = Npz.read(out, manager);
        assertEquals(List.of("cam"), List.copyOf(got.keySet()));
        NDArray res = got.get("cam");
        assertEquals(DataType.FLOAT32, res.getDataType());
        assertEquals(cam.getShape(), res.getShape());
        NDArray want = AdCam.refine(cam, attn, new AdCamConfig(Refinement.COSINE, 3, 0.25));
        assertTrue(want.allClose(res, 1e-6, 1e-7, false));
        assertFalse(want.allClose(cam, 1e-3, 1e-3, false), "the maps did change");
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void stackedAttentionIsSelectedByLayersAndHeads() throws IOException {
        NDArray cam = random(new Shape(1, 2, 2, 2), 3);
        NDArray attn = random(new Shape(1, 3, 2, 4, 4), 4); // [B, L, H, hw, hw]
        Path in = npz("in.npz", Map.of("cam", cam, "attn", attn));
        Path out = dir.resolve("out.npz");
        CliRun r = run("refine", "--method", "adcam", "--in", in.toString(),
                "--out", out.toString(),
                "--layers", "0,2", "--heads", "all", "--candidate", "min");
        assertEquals(0, r.code(), r.err());
        NDArray reduced = AttentionSource.of(AttentionSource.Heads.ALL, 0, 2).reduceStacked(attn);
        NDArray want = AdCam.refine(cam, reduced, new AdCamConfig(Refinement.MIN_OVERLAP, 2, 0));
        assertTrue(want.allClose(Npz.read(out, manager).get("cam"), 1e-6, 1e-7, false));

        r = run("refine", "--method", "diffuse", "--in", in.toString(), "--out", out.toString(),
                "--steps", "1");
        assertEquals(0, r.code(), r.err());
        want = AdCam.diffuseUnrefined(cam, AttentionSource.meanOf(0, 1, 2).reduceStacked(attn),
                Diffusion.steps(1));
        assertTrue(want.allClose(Npz.read(out, manager).get("cam"), 1e-6, 1e-7, false));

        r = run("refine", "--method", "adcam", "--in", in.toString(), "--out", out.toString(),
                "--layers", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("block 3") && r.err().contains("3 blocks"), r.err());
    }

    @Test
    void coupleMultipliesPatchCamByClassAttention() throws IOException {
        NDArray patch = random(new Shape(2, 3, 2, 2), 5);
        NDArray cls = random(new Shape(2, 3, 4), 6);
        Path in = npz("in.npz", Map.of("patchcam", patch, "cls_attn", cls));
        Path out = dir.resolve("out.npz");
        CliRun r = run("refine", "--method", "couple", "--in", in.toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        NDArray got = Npz.read(out, manager).get("cam");
        assertTrue(patch.mul(cls.reshape(2, 3, 2, 2)).allClose(got, 1e-7, 1e-8, false));

        r = run("refine", "--method", "couple", "--in", in.toString(), "--out", out.toString(),
                "--steps", "2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--steps does not apply to --method couple"), r.err());
    }

    @Test
    void wrongKeyShapeOrDtypeFailsNamingIt() throws IOException {
        NDArray cam = random(new Shape(2, 3, 4, 4), 7);
        Path out = dir.resolve("out.npz");

        Path noAttn = npz("noattn.npz", Map.of("cam", cam, "att", random(new Shape(2, 16, 16), 8)));
        CliRun r = run("refine", "--method", "adcam", "--in", noAttn.toString(),
                "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(noAttn + ": no key 'attn'") && r.err().contains("att"), r.err());

        Path badShape = npz("shape.npz", Map.of("cam", cam, "attn", random(new Shape(2, 16, 15), 9)));
        r = run("refine", "--method", "adcam", "--in", badShape.toString(),
                "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(badShape + ": key 'attn' has shape [2, 16, 15], expected"
                + " [2, 16, 16] with h·w = 16"), r.err());

        Path badDtype = npz("dtype.npz", Map.of("cam", cam.toType(DataType.FLOAT64, false),
                "attn", random(new Shape(2, 16, 16), 10)));
        r = run("refine", "--method", "diffuse", "--in", badDtype.toString(),
                "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("key 'cam' has dtype float64, expected float32"), r.err());

        Path badRank = npz("rank.npz", Map.of("cam", cam.reshape(2, 3, 16),
                "attn", random(new Shape(2, 16, 16), 11)));
        r = run("refine", "--method", "adcam", "--in", badRank.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("key 'cam' has shape [2, 3, 16], expected [B, C, h, w]"), r.err());

        Path badCls = npz("cls.npz", Map.of("patchcam", cam, "cls_attn", random(new Shape(2, 3, 15), 12)));
        r = run("refine", "--method", "couple", "--in", badCls.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("key 'cls_attn' has shape [2, 3, 15], expected [2, 3, 16]"), r.err());

        Path ok3d = npz("ok.npz", Map.of("cam", cam, "attn", random(new Shape(2, 16, 16), 13)));
        r = run("refine", "--method", "adcam", "--in", ok3d.toString(), "--out", out.toString(),
                "--heads", "all");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--layers/--heads apply to a 5-D 'attn'"), r.err());

        r = run("refine", "--method", "blur", "--in", ok3d.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'blur' is not a method"), r.err());
        assertFalse(Files.exists(out), "nothing written on failure");
    }

    @Test
    void filesDjlWouldMisreadAreRejected() throws IOException {
        Path out = dir.resolve("out.npz");
        Path big = rawNpz("big.npz", "cam", "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }");
        CliRun r = run("refine", "--method", "adcam", "--in", big.toString(),
                "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("key 'cam' is big-endian ('>f4')"), r.err());

        Path fortran = rawNpz("f.npz", "attn", "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }");
        r = run("refine", "--method", "adcam", "--in", fortran.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("key 'attn' is Fortran-ordered"), r.err());

        Path text = dir.resolve("text.npz");
        Files.writeString(text, "not a zip");
        r = run("refine", "--method", "adcam", "--in", text.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(text + ": not an .npz"), r.err());

        r = run("refine", "--method", "adcam", "--in", dir.resolve("missing.npz").toString(),
                "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing.npz: no such file"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void helpDocumentsTheSchema() {
        CliRun r = run("refine", "--help");
        assertEquals(0, r.code());
        for (String s : new String[] {"cam       float32 [B, C, h, w]", "attn      float32 [B, h*w, h*w]",
                "[B, L, H, h*w, h*w]", "patchcam", "cls_attn  float32 [B, C, h*w]", "--layers",
                "--heads", "--restart"}) {
            assertTrue(r.out().contains(s), "help lacks " + s + ":\n" + r.out());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private NDArray random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
        }
        return manager.create(v, shape);
    }

    /** An npz written by DJL's encoder, as numpy's savez would write it. */
    private Path npz(String name, Map<String, NDArray> arrays) throws IOException {
        NDList list = new NDList();
        arrays.forEach((k, a) -> {
            a.setName(k);
            list.add(a);
        });
        Path p = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(p)) {
            list.encode(os, NDList.Encoding.NPZ);
        }
        return p;
    }

    /** An npz with one member whose .npy header is given verbatim (8 bytes of data). */
    private Path rawNpz(String name, String key, String header) throws IOException {
        Path p = dir.resolve(name);
        StringBuilder h = new StringBuilder(header);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(p))) {
            zip.putNextEntry(new ZipEntry(key + ".npy"));
            zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                    (byte) (h.length() & 0xFF), (byte) (h.length() >> 8)});
            zip.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            zip.write(new byte[8]);
            zip.closeEntry();
        }
        return p;
    }
}
