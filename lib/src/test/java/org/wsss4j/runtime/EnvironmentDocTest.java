package org.wsss4j.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** environment.md must state the versions the root pom pins. */
class EnvironmentDocTest {
    @Test
    void everyPinnedVersionIsDocumented() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("environment.md"))) {
            root = root.getParent();
        }
        String pom = Files.readString(root.resolve("pom.xml"));
        String env = Files.readString(root.resolve("environment.md"));
        Matcher m = Pattern.compile("<([a-z0-9.]+)\\.version>([^<$]+)</").matcher(pom);
        int checked = 0;
        while (m.find()) {
            String name = m.group(1);
            String version = m.group(2);
            assertTrue(env.contains(version),
                    "environment.md does not mention " + name + " " + version);
            checked++;
        }
        assertTrue(checked >= 10, "expected the pom to pin >= 10 versions, found " + checked);
    }
}
