package dev.lifeboat.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.inspect.status.SnapshotStatus;

import java.nio.file.Path;

/**
 * Command line: {@code InspectCommand [--full | --timed N] <snapshot file>} prints the status as
 * {@code etcdctl snapshot status -w json} does, or with {@code --full} the whole inspection; with
 * {@code --timed N} it computes the status N times in this JVM and prints each duration on stderr.
 * Exit code 2 and one line on stderr when the snapshot is damaged.
 */
public final class InspectCommand {
    private InspectCommand() {
    }

    public static void main(String[] args) throws Exception {
        boolean full = args.length == 2 && args[0].equals("--full");
        boolean timed = args.length == 3 && args[0].equals("--timed") && args[1].matches("[1-9][0-9]{0,3}");
        if (args.length != (full ? 2 : timed ? 3 : 1)) {
            System.err.println("usage: InspectCommand [--full | --timed N] <snapshot file>");
            System.exit(64);
        }
        Path file = Path.of(args[args.length - 1]);
        try {
            if (timed) {
                SnapshotStatus s = null;
                for (int run = 1; run <= Integer.parseInt(args[1]); run++) {
                    long start = System.nanoTime();
                    s = SnapshotInspector.status(file);
                    System.err.printf("run %d: %d ms%n", run, (System.nanoTime() - start) / 1_000_000);
                }
                print(s);
            } else if (full) {
                System.out.println(new ObjectMapper().writeValueAsString(SnapshotInspector.inspect(file, 0)));
            } else {
                print(SnapshotInspector.status(file));
            }
        } catch (CorruptSnapshotException e) {
            System.err.println(e.reason() + ": " + e.getMessage());
            System.exit(2);
        }
    }

    private static void print(SnapshotStatus s) {
        System.out.printf("{\"hash\":%d,\"revision\":%d,\"totalKey\":%d,\"totalSize\":%d}%n",
                s.hash(), s.revision(), s.totalKeys(), s.totalSize());
    }
}
