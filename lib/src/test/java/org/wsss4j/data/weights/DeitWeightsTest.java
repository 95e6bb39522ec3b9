package org.wsss4j.data.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.runtime.Engines;

class DeitWeightsTest {
    @TempDir Path tmp;

    /** A small ViT with the same layout, for the failure cases (a full DeiT-S file is 88 MB). */
    static final VitSpec SMALL = new VitSpec(32, 8, 3, 16, 2, 2, 64, 10);

    @BeforeAll
    static void engine() {
        Engines.init();
    }

    /** Writes a safetensors file with DJL from name → shape (values 0.01), after an edit of the map. */
    static Path write(Path file, VitSpec spec, UnaryOperator<Map<String, long[]>> edit) throws IOException {
        Map<String, long[]> shapes = edit.apply(new LinkedHashMap<>(spec.expectedShapes()));
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDList list = new NDList();
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                NDArray a = m.full(new Shape(e.getValue()), 0.01f);
                a.setName(e.getKey());
                list.add(a);
            }
            try (OutputStream os = Files.newOutputStream(file)) {
                list.encode(os, NDList.Encoding.SAFETENSORS);
            }
        }
        return file;
    }

    @Test
    void deitSmallSpecHasTimmsNamesShapesAndParameterCount() {
        Map<String, long[]> s = VitSpec.deitSmall().expectedShapes();
        assertEquals(4 + 12 * 12 + 4, s.size());
        assertEquals("[1, 1, 384]", Arrays.toString(s.get("cls_token")));
        assertEquals("[1, 197, 384]", Arrays.toString(s.get("pos_embed")));
        assertEquals("[384, 3, 16, 16]", Arrays.toString(s.get("patch_embed.proj.weight")));
        assertEquals("[1152, 384]", Arrays.toString(s.get("blocks.11.attn.qkv.weight")));
        assertEquals("[1536, 384]", Arrays.toString(s.get("blocks.0.mlp.fc1.weight")));
        assertEquals("[384, 1536]", Arrays.toString(s.get("blocks.5.mlp.fc2.weight")));
        assertEquals("[1000, 384]", Arrays.toString(s.get("head.weight")));
        // timm's model card: 22.1 M parameters.
        assertEquals(22_050_664L, VitSpec.deitSmall().parameterCount());
    }

    @Test
    void aGeneratedDeitSmallFilePasses() throws IOException {
        Path f = write(tmp.resolve("deit.safetensors"), VitSpec.deitSmall(), m -> m);
        SafetensorsHeader h = DeitWeights.verify(f);
        assertEquals(152, h.tensors().size());
        assertEquals("F32", h.tensors().get("pos_embed").dtype());
        assertTrue(h.fileSize() > 22_050_664L * 4);
    }

    @Test
    void wrongShapeIsNamedWithBothShapes() throws IOException {
        Path f = write(tmp.resolve("bad.safetensors"), SMALL, m -> {
            m.put("blocks.1.attn.qkv.weight", new long[] {48, 15});
            return m;
        });
        IOException e = assertThrows(IOException.class, () -> DeitWeights.verify(f, SMALL));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(f.toString()), msg);
        assertTrue(msg.contains("'blocks.1.attn.qkv.weight' has shape [48, 15], expected [48, 16]"), msg);
    }

    @Test
    void missingKeyIsNamed() throws IOException {
        Path f = write(tmp.resolve("missing.safetensors"), SMALL, m -> {
            m.remove("blocks.0.norm2.bias");
            return m;
        });
        IOException e = assertThrows(IOException.class, () -> DeitWeights.verify(f, SMALL));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("missing key 'blocks.0.norm2.bias'"),
                e.getMessage());
    }

    @Test
    void extraKeyTruncationAndGarbageAreRefused() throws IOException {
        Path extra = write(tmp.resolve("extra.safetensors"), SMALL, m -> {
            m.put("dist_token", new long[] {1, 1, 16});
            return m;
        });
        IOException e = assertThrows(IOException.class, () -> DeitWeights.verify(extra, SMALL));
        assertTrue(e.getMessage().contains("unexpected key 'dist_token'"), e.getMessage());

        Path good = write(tmp.resolve("good.safetensors"), SMALL, m -> m);
        DeitWeights.verify(good, SMALL);
        byte[] b = Files.readAllBytes(good);
        Path cut = Files.write(tmp.resolve("cut.safetensors"), Arrays.copyOf(b, b.length - 100));
        e = assertThrows(IOException.class, () -> DeitWeights.verify(cut, SMALL));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Path html = Files.writeString(tmp.resolve("page.safetensors"), "<!DOCTYPE html><html>rate limited</html>");
        e = assertThrows(IOException.class, () -> DeitWeights.verify(html, SMALL));
        assertTrue(e.getMessage().contains("not a safetensors file"), e.getMessage());

        // The DeiT-S spec refuses the small file at its first key, naming both shapes.
        e = assertThrows(IOException.class, () -> DeitWeights.verify(good));
        assertTrue(e.getMessage().contains("'cls_token' has shape [1, 1, 16], expected [1, 1, 384]"), e.getMessage());
    }

    /** A real timm export (shared/fixtures/timm-vit, made with timm 1.0.29) has exactly the expected keys. */
    @Test
    void aRealTimmExportPasses() throws IOException {
        Path f = SharedFixtures.find("timm-vit/weights.safetensors");
        Assumptions.assumeTrue(f != null, "shared/fixtures/timm-vit not found beside the checkout");
        SafetensorsHeader h = DeitWeights.verify(f, new VitSpec(64, 8, 3, 64, 3, 4, 256, 5));
        assertEquals(4 + 3 * 12 + 4, h.tensors().size());
    }
}
