package org.wsss4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.wsss4j.methods.adcam.AdCam;
import org.wsss4j.methods.adcam.AdCamConfig;
import org.wsss4j.methods.adcam.AttentionSource;
import org.wsss4j.methods.adcam.Refinement;
import org.wsss4j.runtime.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wsss4j refine}: AD-CAM and its two strawmen on maps from any framework, {@code .npz} in,
 * {@code .npz} out. The schema is in the help footer and in {@code docs/refine-npz.md}.
 */
@Command(
        name = "refine",
        mixinStandardHelpOptions = true,
        description = {
            "Refine class maps from an .npz: AD-CAM (refined attention + diffusion), diffusion along"
                    + " the unrefined attention, or direct coupling (PatchCAM x class-to-patch"
                    + " attention). Writes 'cam' float32 [B, C, h, w] to --out, atomically."
        },
        footer = {
            "",
            "Input schema (numpy .npz, arrays little-endian, C order; other keys are ignored):",
            "  --method adcam | diffuse:",
            "    cam       float32 [B, C, h, w]    class maps (token i = y*w + x)",
            "    attn      float32 [B, h*w, h*w]   patch-to-patch attention, already reduced",
            "          or  float32 [B, L, H, h*w, h*w]  per block and head, patch-to-patch",
            "              (class tokens removed); --layers and --heads select and reduce it",
            "  --method couple:",
            "    patchcam  float32 [B, C, h, w]",
            "    cls_attn  float32 [B, C, h*w]     class-to-patch attention",
            "Output: cam float32, the shape of the input maps.",
            "Row i of attn is where token i looks; the map at token i gathers",
            "  cam'(c, i) = sum_j T(i, j) cam(c, j), T the refined row-stochastic attention.",
            "AD-CAM is reconstructed from the paper's description (no public code); see",
            "docs/refine-npz.md and methods.md section 3.",
            "",
            "Example (Python): np.savez('in.npz', cam=cam.astype(np.float32), attn=attn)",
            "  wsss4j refine --method adcam --in in.npz --out out.npz --steps 2",
        })
public final class RefineCommand implements Callable<Integer> {

    /** The three operators. */
    enum Method {
        ADCAM,
        DIFFUSE,
        COUPLE
    }

    @Option(names = "--method", required = true, paramLabel = "adcam|diffuse|couple",
            converter = MethodConverter.class,
            description = "adcam: refinement + diffusion; diffuse: diffusion along the unrefined"
                    + " attention; couple: patchcam x cls_attn")
    Method method;

    @Option(names = "--in", required = true, paramLabel = "FILE.npz", description = "input .npz")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "FILE.npz",
            description = "output .npz (key 'cam'), written atomically")
    Path out;

    @Option(names = "--candidate", paramLabel = "product|min|cosine",
            description = "adcam's neighbour-agreement candidate (default: product)")
    String candidate;

    @Option(names = "--steps", paramLabel = "T",
            description = "diffusion steps, >= 0 (default: 2; 0 = maps unchanged)")
    Integer steps;

    @Option(names = "--restart", paramLabel = "BETA",
            description = "mix BETA of the original map back in at every step, in [0, 1]"
                    + " (default: 0)")
    Double restart;

    @Option(names = "--layers", split = ",", paramLabel = "L1,L2,...",
            description = "blocks of a 5-D attn to average, 0-based (default: all)")
    int[] layers;

    @Option(names = "--heads", paramLabel = "mean|all",
            description = "heads of a 5-D attn: mean = average, all = refine each head and"
                    + " average the results (default: mean)")
    String heads;

    @Option(names = "--device", paramLabel = "cpu|gpu|gpu:N|auto",
            description = "where to compute (default: WSSS4J_DEVICE or auto)")
    String device;

    @Override
    public Integer call() throws Exception {
        Main.initEngine();
        if (device != null) {
            Engines.useDevice(device);
        }
        AdCamConfig config = config();
        long t0 = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager(Engines.device())) {
            Map<String, NDArray> arrays = Npz.read(in, manager);
            NDArray result =
                    method == Method.COUPLE ? couple(arrays) : diffuse(arrays, config);
            Npz.write(out, Map.of("cam", result.toType(DataType.FLOAT32, false)));
            String label = method == Method.COUPLE ? "couple" : config.name();
            System.out.printf(Locale.ROOT, "refine: %s on cam %s -> %s (%.0f ms, %s)%n", label,
                    Npz.format(result.getShape()), out, (System.nanoTime() - t0) / 1e6,
                    result.getDevice());
        }
        return 0;
    }

    /** The operator's switches; rejects switches the chosen method does not use. */
    AdCamConfig config() {
        if (method == Method.COUPLE) {
            for (Object[] o : new Object[][] {{"--candidate", candidate}, {"--steps", steps},
                    {"--restart", restart}, {"--layers", layers}, {"--heads", heads}}) {
                if (o[1] != null) {
                    throw new IllegalArgumentException(o[0] + " does not apply to --method couple");
                }
            }
            return AdCamConfig.DEFAULT;
        }
        if (method == Method.DIFFUSE && candidate != null) {
            throw new IllegalArgumentException(
                    "--candidate does not apply to --method diffuse (it uses the unrefined"
                            + " attention); use --method adcam");
        }
        Refinement r = Refinement.NONE;
        if (method == Method.ADCAM) {
            r = candidate == null ? AdCamConfig.DEFAULT.refinement() : Refinement.parse(candidate);
            if (r == Refinement.NONE) {
                throw new IllegalArgumentException(
                        "--candidate none is --method diffuse; use product, min or cosine");
            }
        }
        return new AdCamConfig(r,
                steps == null ? AdCamConfig.DEFAULT.steps() : steps,
                restart == null ? AdCamConfig.DEFAULT.restart() : restart);
    }

    private NDArray diffuse(Map<String, NDArray> arrays, AdCamConfig config) {
        NDArray cam = require(arrays, "cam", 4, "[B, C, h, w]");
        Shape s = cam.getShape();
        long b = s.get(0), n = s.get(2) * s.get(3);
        NDArray attn = require(arrays, "attn", -1, null);
        Shape a = attn.getShape();
        String from = " with h·w = " + n + " and B = " + b + " from 'cam'";
        if (a.dimension() == 3) {
            if (!a.equals(new Shape(b, n, n))) {
                throw bad("key 'attn' has shape " + Npz.format(a) + ", expected [" + b + ", " + n
                        + ", " + n + "]" + from);
            }
            if (layers != null || heads != null) {
                throw new IllegalArgumentException(
                        "--layers/--heads apply to a 5-D 'attn' [B, L, H, h*w, h*w]; " + in
                                + " holds 'attn' " + Npz.format(a) + ", already reduced");
            }
        } else if (a.dimension() == 5) {
            if (a.get(0) != b || a.get(3) != n || a.get(4) != n) {
                throw bad("key 'attn' has shape " + Npz.format(a) + ", expected [" + b + ", L, H, "
                        + n + ", " + n + "]" + from);
            }
            int[] blocks = layers != null ? layers : IntStream.range(0, (int) a.get(1)).toArray();
            AttentionSource.Heads h =
                    heads == null ? AttentionSource.Heads.MEAN : AttentionSource.Heads.parse(heads);
            try {
                attn = new AttentionSource(blocks, h).reduceStacked(attn);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--layers: " + e.getMessage(), e);
            }
        } else {
            throw bad("key 'attn' has shape " + Npz.format(a) + ", expected [" + b + ", " + n + ", "
                    + n + "] or [" + b + ", L, H, " + n + ", " + n + "]" + from);
        }
        return AdCam.refine(cam, attn, config);
    }

    private NDArray couple(Map<String, NDArray> arrays) {
        NDArray patch = require(arrays, "patchcam", 4, "[B, C, h, w]");
        Shape s = patch.getShape();
        NDArray cls = require(arrays, "cls_attn", -1, null);
        Shape want = new Shape(s.get(0), s.get(1), s.get(2) * s.get(3));
        if (!cls.getShape().equals(want)) {
            throw bad("key 'cls_attn' has shape " + Npz.format(cls.getShape()) + ", expected "
                    + Npz.format(want) + " with B, C and h·w = " + want.get(2)
                    + " from 'patchcam'");
        }
        return AdCam.directCoupling(patch, cls);
    }

    /** The array under key, float32, of the given rank (-1: any); fails naming file and key. */
    private NDArray require(Map<String, NDArray> arrays, String key, int rank, String layout) {
        NDArray a = arrays.get(key);
        if (a == null) {
            throw bad("no key '" + key + "' (keys present: " + List.copyOf(arrays.keySet())
                    + "); see wsss4j refine --help for the schema");
        }
        if (a.getDataType() != DataType.FLOAT32) {
            throw bad("key '" + key + "' has dtype " + a.getDataType() + ", expected float32");
        }
        if (rank >= 0 && a.getShape().dimension() != rank) {
            throw bad("key '" + key + "' has shape " + Npz.format(a.getShape()) + ", expected "
                    + layout);
        }
        return a;
    }

    private IllegalArgumentException bad(String what) {
        return new IllegalArgumentException(in + ": " + what);
    }

    /** Case-insensitive method names. */
    static final class MethodConverter implements picocli.CommandLine.ITypeConverter<Method> {
        @Override
        public Method convert(String value) {
            try {
                return Method.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a method: use adcam, diffuse or couple");
            }
        }
    }
}
