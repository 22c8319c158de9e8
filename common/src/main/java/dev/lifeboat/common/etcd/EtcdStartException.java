package dev.lifeboat.common.etcd;

/** etcd did not come up; {@link #kind()} says whether the process, the ports or the clock is to blame. */
public final class EtcdStartException extends Exception {
    /** Why a start failed. */
    public enum Kind {
        /** The executable could not be run at all. */
        CANNOT_START,
        /** Another process held a port on every attempt: nothing is wrong with the data. */
        PORTS_TAKEN,
        /** etcd exited before serving, for another reason than a port (its log tail is in the message). */
        EXITED,
        /** etcd was still not serving when the time ran out. */
        NOT_READY
    }

    private final Kind kind;

    public EtcdStartException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public EtcdStartException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
