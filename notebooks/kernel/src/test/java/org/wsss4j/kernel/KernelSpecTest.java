package org.wsss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecTest {
    @TempDir Path dir;

    @Test
    void fillsAbsolutePathsJvmOptionsAndEnvironment() throws Exception {
        Path jar = dir.resolve("wsss4j-kernel.jar");
        Path lib = dir.resolve("deps/wsss4j-lib.jar");
        KernelSpec spec = new KernelSpec(KernelSpec.currentJava(), List.of(jar, lib), "3g",
                List.of("-Dwsss4j.extra=1"), Map.of("WSSS4J_PROFILE", "smoke"));
        Path written = spec.write(dir.resolve("kernels/java"));
        JsonObject k = JsonParser.parseString(Files.readString(written.resolve("kernel.json")))
                .getAsJsonObject();

        List<String> argv = new ArrayList<>();
        for (var e : k.getAsJsonArray("argv")) {
            argv.add(e.getAsString());
        }
        assertTrue(Path.of(argv.get(0)).isAbsolute() && argv.get(0).endsWith("java"), argv.get(0));
        assertEquals("-cp", argv.get(1));
        assertEquals(jar + File.pathSeparator + lib, argv.get(2));
        assertEquals(List.of("-Djava.awt.headless=true", "-Dai.djl.offline=true", "-Xmx3g",
                "-Dwsss4j.extra=1", "org.wsss4j.kernel.KernelMain", "{connection_file}"),
                argv.subList(3, argv.size()));
        assertEquals("java", k.get("language").getAsString());
        assertEquals("Java (wsss4j)", k.get("display_name").getAsString());
        assertEquals("message", k.get("interrupt_mode").getAsString());
        assertEquals("smoke", k.getAsJsonObject("env").get("WSSS4J_PROFILE").getAsString());
        assertTrue(argv.stream().noneMatch(a -> a.contains("@")), argv.toString());
    }

    @Test
    void badInputIsRefusedWithTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new KernelSpec(
                KernelSpec.currentJava(), List.of(dir), "lots", List.of(), Map.of()));
        assertTrue(e.getMessage().contains("'lots'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KernelSpec(
                KernelSpec.currentJava(), List.of(), "2g", List.of(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new KernelSpec(
                KernelSpec.currentJava(), List.of(dir), "2g", List.of(), Map.of("BAD NAME", "x")));
    }

    @Test
    void jarsInListsOnlyJarsSorted() throws Exception {
        Files.createFile(dir.resolve("b.jar"));
        Files.createFile(dir.resolve("a.jar"));
        Files.createFile(dir.resolve("notes.txt"));
        assertEquals(List.of(dir.resolve("a.jar"), dir.resolve("b.jar")), KernelSpec.jarsIn(dir));
    }
}
