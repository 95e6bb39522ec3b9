package org.wsss4j.data.voc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.data.IndexedPng;

class VocTreeCheckTest {
    @TempDir Path tmp;

    /** A prepared tree, in place in the VOC folder (real folders, no links, so files can be broken). */
    Path prepared() throws IOException {
        Path[] src = VocFixtures.write(tmp);
        SbdConverter.convert(src[0], src[1], src[0], new SbdConverter.Options(SbdConverter.LabelSource.XML, 2, false));
        return src[0];
    }

    @Test
    void aGoodTreePasses() throws IOException {
        VocTreeCheck.Report r = VocTreeCheck.check(prepared(), List.of("train_aug", "train", "val"), true, 2);
        assertTrue(r.ok(), r.describe(10));
        assertEquals(6, r.checked()); // train_aug ∪ train ∪ val
    }

    @Test
    void truncatedJpegIsNamed() throws IOException {
        Path root = prepared();
        // A larger image, so that half of it is a real truncation inside the entropy-coded data.
        VocFixtures.jpeg(root, "2010_000001", 64, 48);
        IndexedPng.write(VocFixtures.map(new int[48][64]), root.resolve("SegmentationClassAug/2010_000001.png"));
        Path jpg = root.resolve("JPEGImages/2010_000001.jpg");
        byte[] b = Files.readAllBytes(jpg);
        Files.write(jpg, Arrays.copyOf(b, b.length * 2 / 3));

        VocTreeCheck.Report r = VocTreeCheck.check(root, List.of("train_aug"), true, 2);
        assertFalse(r.ok());
        assertEquals(1, r.problems().size(), r.describe(10));
        VocTreeCheck.Problem p = r.problems().get(0);
        assertEquals(jpg, p.file());
        assertTrue(p.message().startsWith("corrupt image"), p.message());
        IOException e = assertThrows(IOException.class, r::orThrow);
        assertTrue(e.getMessage().contains(jpg.toString()), e.getMessage());

        // Reading headers only does not see it: that is why the default decodes.
        assertTrue(VocTreeCheck.check(root, List.of("train_aug"), false, 2).ok());
    }

    @Test
    void missingMaskMissingImageAndSizeMismatchAreNamed() throws IOException {
        Path root = prepared();
        Files.delete(root.resolve("SegmentationClassAug/2011_000001.png"));
        Files.delete(root.resolve("JPEGImages/2007_000033.jpg"));
        IndexedPng.write(VocFixtures.map(new int[][] {{0, 0}, {0, 0}}), root.resolve("SegmentationClass/2008_000002.png"));
        VocTreeCheck.Report r = VocTreeCheck.check(root, List.of("train_aug", "val"), true, 1);
        String all = r.describe(10);
        assertEquals(3, r.problems().size(), all);
        assertTrue(all.contains("SegmentationClass/2011_000001.png: mask missing"), all);
        assertTrue(all.contains("JPEGImages/2007_000033.jpg: image missing"), all);
        assertTrue(all.contains("2008_000002.png: mask is 2x2 but the image is 3x2"), all);
    }

    @Test
    void missingListAndLabelLineAreProblems() throws IOException {
        Path root = prepared();
        List<String> lines = Files.readAllLines(root.resolve("image_labels.txt"));
        Files.write(root.resolve("image_labels.txt"), lines.subList(1, lines.size()));
        VocTreeCheck.Report r = VocTreeCheck.check(root, List.of("train", "test"), false, 1);
        String all = r.describe(10);
        assertEquals(2, r.problems().size(), all);
        assertTrue(all.contains("split list 'test' not found"), all);
        assertTrue(all.contains("no image-level label line (id 2007_000032)"), all);
    }
}
