package org.wsss4j.cli;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.wsss4j.model.VitConfig;
import org.wsss4j.runtime.Engines;
import org.wsss4j.train.TrainBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wsss4j bench}: training-step throughput, one JSON line per configuration. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Times training steps (forward + backward + AdamW) and prints one JSON line per"
                    + " configuration: ms/step, images/s, peak resident memory.",
            "Default (CPU): tiny-synth shapes — 64 px, patch 8, width 128, depth 6, 4 heads, 20"
                    + " class tokens, batch 32, fp32 — the anchor PyTorch 2.13 eager trains at 168"
                    + " images/s on 2 cores.",
            "On --device gpu: DeiT-S 224 px batch 64 and 448 px batch 16, one class token and 20."
        })
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--device", description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE})")
    String device = "auto";

    @Option(names = "--preset", description = "tiny-synth, deit-tiny or deit-small (overrides the default set)")
    String preset;

    @Option(names = "--input", description = "input size in pixels (with --preset)")
    Integer input;

    @Option(names = "--batch", description = "batch size (with --preset)")
    Integer batch;

    @Option(names = "--class-tokens", description = "1 (DeiT) or 20 (MCTformer), with --preset")
    Integer classTokens;

    @Option(names = "--steps", description = "timed steps (default: ${DEFAULT-VALUE})")
    int steps = 20;

    @Option(names = "--warmup", description = "untimed steps first (default: ${DEFAULT-VALUE})")
    int warmup = 5;

    @Option(names = "--no-attention", description = "do not keep per-block attention")
    boolean noAttention;

    @Option(names = "--adcam", description = "also time AD-CAM (product refinement + 2 diffusion steps, 16 maps x 784 tokens x 20 classes; PyTorch 2.13 eager: 275 ms on 2 cores)")
    boolean adcam;

    @Option(names = "--aream", description = "also time AReAM's per-step pseudo label (PAR at both background scores, 64 crops of 96 px, 20 classes)")
    boolean aream;

    @Override
    public Integer call() {
        Main.initEngine();
        Engines.useDevice(device);
        Device dev = Engines.device();
        List<Object[]> runs = new ArrayList<>(); // {config, batch}
        if (preset != null) {
            int size = input != null ? input : 224;
            VitConfig c = VitConfig.preset(preset, size, 20);
            if (classTokens != null) {
                c = c.withClassTokens(classTokens);
            }
            runs.add(new Object[] {c, batch != null ? batch : 32});
        } else if (dev.isGpu()) {
            for (int tokens : new int[] {1, 20}) {
                runs.add(new Object[] {VitConfig.deitSmall(224, 20).withClassTokens(tokens), 64});
                runs.add(new Object[] {VitConfig.deitSmall(448, 20).withClassTokens(tokens), 16});
            }
        } else {
            runs.add(new Object[] {VitConfig.tinySynth(64, 20), 32});
        }
        for (Object[] r : runs) {
            VitConfig c = ((VitConfig) r[0]).withDropPath(0);
            TrainBench.Result res =
                    TrainBench.run(c, (Integer) r[1], dev, !noAttention, warmup, steps);
            System.out.println(res.json());
        }
        if (adcam) {
            System.out.println(org.wsss4j.methods.adcam.AdCamBench.run(dev).toJson());
        }
        if (aream) {
            System.out.println(org.wsss4j.methods.aream.PseudoLabelBench.run(dev).toJson());
        }
        return 0;
    }
}
