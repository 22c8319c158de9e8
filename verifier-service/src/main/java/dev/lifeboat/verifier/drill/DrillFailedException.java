package dev.lifeboat.verifier.drill;

import dev.lifeboat.common.failure.LifeboatFailure;
import dev.lifeboat.events.FailureReason;

/**
 * The restore drill did not prove the snapshot restorable: {@link FailureReason#RESTORE_FAILED}
 * (restore refused, scratch etcd did not serve, or it served different data) or
 * {@link FailureReason#RESTORE_TIMEOUT}; or it could not judge the snapshot at all
 * ({@link FailureReason#INTERNAL}, retriable: the scratch etcd found no free ports).
 */
public class DrillFailedException extends LifeboatFailure {
    private static final long serialVersionUID = 1L;

    public DrillFailedException(FailureReason reason, String message) {
        this(reason, message, null);
    }

    public DrillFailedException(FailureReason reason, String message, Throwable cause) {
        super(reason, null, reason == FailureReason.INTERNAL, message, cause);
    }
}
