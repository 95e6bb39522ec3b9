package org.wsss4j.train;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of long work: step / total, loss, images/s and ETA (me.tongfei.progressbar on
 * stderr). {@code WSSS4J_PROGRESS=off} silences it (logs of batch jobs).
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private final long started = System.nanoTime();
    private final long firstStep;
    private final int batch;

    public Progress(String task, long fromStep, long toStep, int batchSize) {
        this.firstStep = fromStep;
        this.batch = batchSize;
        String off = System.getenv("WSSS4J_PROGRESS");
        if ("off".equalsIgnoreCase(off)) {
            bar = null;
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(toStep)
                .startsFrom(fromStep, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setUnit(" steps", 1)
                .showSpeed()
                .continuousUpdate()
                .build();
    }

    /** Marks {@code step} done with its loss. */
    public void step(long step, double loss) {
        if (bar == null) {
            return;
        }
        double secs = (System.nanoTime() - started) / 1e9;
        double ips = secs > 0 ? (step + 1 - firstStep) * batch / secs : 0;
        bar.stepTo(step + 1);
        bar.setExtraMessage(String.format(" loss %.4f · %.0f img/s", loss, ips));
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
