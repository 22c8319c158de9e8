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
}
