package dev.lifeboat.cli;

/**
 * Every way a command can fail, each with its own exit code, so a script can tell them apart. The
 * message printed with it is one line.
 */
public enum Failure {
    /** An unexpected error: a bug, reported in one line all the same. */
    INTERNAL(1, "internal error"),
    /** Flags that are missing, malformed or contradict each other. */
    USAGE(2, "usage"),
    NO_SUCH_REGION(3, "no such region"),
    NO_SUCH_CLUSTER(4, "no such cluster"),
    NO_SUCH_SNAPSHOT(5, "no such snapshot"),
    STORE_UNREACHABLE(6, "store unreachable"),
    /** The object differs from its manifest (sha256, size) or from its own trailer. */
    CHECKSUM_MISMATCH(7, "checksum mismatch"),
    /** The bbolt database inside the snapshot is not valid (or shorter than its own structure). */
    CORRUPT_DATABASE(8, "corrupt database"),
    DATA_DIR_NOT_EMPTY(9, "data dir not empty"),
    /** Writing the restored data failed (disk full, permissions); nothing is left behind. */
    RESTORE_FAILED(10, "restore failed");

    private final int exitCode;
    private final String label;

    Failure(int exitCode, String label) {
        this.exitCode = exitCode;
        this.label = label;
    }

    public int exitCode() {
        return exitCode;
    }

    public String label() {
        return label;
    }

    public CommandFailure because(String message) {
        return new CommandFailure(this, message);
    }
}
