package org.wsss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DJL in cells: libtorch's autograd switch is per thread and DJL turns it off only on the thread
 * that starts the engine, so the engine must start on the thread later cells run on. Surefire
 * gives this class its own JVM (reuseForks=false), so the engine starts here, in a cell.
 */
class CellThreadDjlTest {
    @TempDir Path dir;

    @Test
    void inPlaceUpdateOfAParameterWorksInALaterCell() {
        try (CellEngine engine = new CellEngine(CellEngine.jvmClasspath(), dir)) {
            engine.eval("org.wsss4j.runtime.Engines.init();");
            engine.eval("import ai.djl.ndarray.*;\nimport ai.djl.ndarray.types.Shape;");
            engine.eval("NDManager m = NDManager.newBaseManager();\n"
                    + "NDArray p = m.ones(new Shape(2));\n"
                    + "p.setRequiresGradient(true);");
            // Failed with "a leaf Variable that requires grad is being used in an in-place
            // operation" while each snippet ran on a thread of its own.
            assertEquals(4f, engine.eval("p.muli(2f);\np.sum().getFloat()"));
            engine.eval("m.close();");
        }
    }
}
