package org.wsss4j.cli;

import org.wsss4j.runtime.Engines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code wsss4j} command: one picocli root, a subcommand per job. */
@Command(
        name = "wsss4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Reproducibility kit for transformer-based weakly-supervised semantic segmentation.",
        subcommands = {
            CommandLine.HelpCommand.class,
            BenchCommand.class,
            ReproduceCommand.class,
            ShipWarmupCommand.class,
            EvalCommand.class,
            GenerateCommand.class,
            PrepareCommand.class,
            RefineCommand.class,
        })
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("java.awt.headless", "true");
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(
                (ex, line, parse) -> {
                    // Bad input is reported as one clear line, not a stack trace.
                    line.getErr().println(line.getColorScheme().errorText("error: " + ex.getMessage()));
                    if (System.getenv("WSSS4J_DEBUG") != null) {
                        ex.printStackTrace(line.getErr());
                    }
                    return 2;
                });
        return cl.execute(args);
    }

    /** Called by subcommands that need DJL. */
    static void initEngine() {
        Engines.init();
    }
}
