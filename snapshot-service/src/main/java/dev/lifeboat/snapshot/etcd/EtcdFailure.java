package dev.lifeboat.snapshot.etcd;

import dev.lifeboat.common.failure.LifeboatFailure;
import dev.lifeboat.events.FailureReason;

/** The etcd cluster could not be used as a snapshot source (unreachable, no leader, unusable TLS files). */
public class EtcdFailure extends LifeboatFailure {
    private static final long serialVersionUID = 1L;

    public EtcdFailure(FailureReason reason, String message) {
        this(reason, message, null);
    }

    public EtcdFailure(FailureReason reason, String message, Throwable cause) {
        super(reason, null, false, message, cause);
    }

    private EtcdFailure(FailureReason reason, String message, boolean retriable) {
        super(reason, null, retriable, message, null);
    }

    /**
     * NO_LEADER in a shape an election in progress takes (no member that answers has a leader, or
     * the one they name is among the silent endpoints): {@link #retriable()}, since asking again in
     * a few seconds can find the new leader.
     */
    public static EtcdFailure electionPending(String message) {
        return new EtcdFailure(FailureReason.NO_LEADER, message, true);
    }
}
