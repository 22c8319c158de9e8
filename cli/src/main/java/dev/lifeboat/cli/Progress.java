package dev.lifeboat.cli;

import java.io.PrintStream;

/** A progress bar on stderr, drawn only when the tool runs on a terminal. */
public final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean enabled;
    private String label = "";
    private long total;
    private long done;
    private int drawn = -1;

    public Progress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    /** On when both stdout and stdin are a terminal ({@link System#console()}), off in scripts and pipes. */
    public static Progress onTerminal(PrintStream err) {
        return new Progress(err, System.console() != null);
    }

    public void start(String label, long total) {
        this.label = label;
        this.total = Math.max(total, 1);
        this.done = 0;
        this.drawn = -1;
        draw();
    }

    public void advance(long bytes) {
        done += bytes;
        draw();
    }

    public void finish() {
        if (enabled && drawn >= 0) {
            done = total;
            drawn = -1;
            draw();
            out.print('\n');
            out.flush();
        }
    }

    private void draw() {
        if (!enabled) {
            return;
        }
        int percent = (int) Math.min(100, done * 100 / total);
        if (percent == drawn) {
            return;
        }
        drawn = percent;
        int filled = percent * WIDTH / 100;
        out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "% "
                + (done >> 20) + "/" + (total >> 20) + " MiB");
        out.flush();
    }
}
