package org.wsss4j.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * The one place that starts DJL: offline, headless, the PyTorch engine, and the device every
 * other package uses. Call {@link #init()} from every entry point (CLI, notebooks, tests).
 */
public final class Engines {
    private static volatile Engine engine;
    private static volatile Device device;

    private Engines() {}

    /** Starts the engine once; never downloads (ai.djl.offline=true unless the user overrides). */
    public static synchronized Engine init() {
        if (engine != null) {
            return engine;
        }
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("java.awt.headless", "true");
        // DJL extracts libtorch (~450 MB) into its cache; keep it with the kit's other files.
        if (WsssPaths.setting("DJL_CACHE_DIR", "DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR", WsssPaths.home().resolve("djl").toString());
        }
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // On GPU-less machines with a CUDA runtime installed DJL warns twice; it is harmless.
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "Could not start DJL's PyTorch engine offline. Is pytorch-native-cpu on the class"
                            + " path (build with ./mvnw package), or PYTORCH_LIBRARY_PATH set with"
                            + " PYTORCH_FLAVOR? See environment.md. Cause: "
                            + e.getMessage(),
                    e);
        }
        return engine;
    }

    /**
     * The device for all work: {@code WSSS4J_DEVICE} (cpu | gpu | gpu:N | auto, default auto) —
     * GPU when the engine sees one, else CPU.
     */
    public static synchronized Device device() {
        if (device == null) {
            device = resolve(WsssPaths.setting("WSSS4J_DEVICE", "wsss4j.device"));
        }
        return device;
    }

    /** Overrides the device (CLI --device); must come before any model is built. */
    public static synchronized void useDevice(String spec) {
        device = resolve(spec);
    }

    static Device resolve(String spec) {
        Engine e = init();
        String s = spec == null ? "auto" : spec.trim().toLowerCase();
        switch (s) {
            case "auto":
                return e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            case "cpu":
                return Device.cpu();
            case "gpu":
            case "cuda":
                return Device.gpu();
            default:
                if (s.startsWith("gpu:") || s.startsWith("cuda:")) {
                    return Device.gpu(Integer.parseInt(s.substring(s.indexOf(':') + 1)));
                }
                throw new IllegalArgumentException(
                        "Unknown device '" + spec + "': use cpu, gpu, gpu:N or auto");
        }
    }

    /** One line for logs and provenance. */
    public static String describe() {
        Engine e = init();
        return e.getEngineName() + " " + e.getVersion() + " on " + device();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
