package dev.lifeboat.verifier.inspect;

import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.SnapshotVerified;

import java.nio.file.Path;

/**
 * Command line: {@code InspectCommand [--full] <snapshot file>} prints the status as
 * {@code etcdctl snapshot status -w json} does, or with {@code --full} the whole inspection.
 * Exit code 2 and one line on stderr when the snapshot is damaged.
 */
public final class InspectCommand {
    private InspectCommand() {
    }

    public static void main(String[] args) throws Exception {
        boolean full = args.length == 2 && args[0].equals("--full");
        if (args.length != (full ? 2 : 1)) {
            System.err.println("usage: InspectCommand [--full] <snapshot file>");
            System.exit(64);
        }
        Path file = Path.of(args[full ? 1 : 0]);
        try {
            if (full) {
                System.out.println(EventJson.mapper().writeValueAsString(SnapshotInspector.inspect(file, 0)));
            } else {
                SnapshotVerified.Status s = SnapshotInspector.status(file);
                System.out.printf("{\"hash\":%d,\"revision\":%d,\"totalKey\":%d,\"totalSize\":%d}%n",
                        s.hash(), s.revision(), s.totalKeys(), s.totalSize());
            }
        } catch (CorruptSnapshotException e) {
            System.err.println(e.reason() + ": " + e.getMessage());
            System.exit(2);
        }
    }
}
