package dev.lifeboat.verifier.drill;

import dev.lifeboat.events.FailureReason;

/**
 * The restore drill did not prove the snapshot restorable: {@link FailureReason#RESTORE_FAILED}
 * (restore refused, scratch etcd did not serve, or it served different data) or
 * {@link FailureReason#RESTORE_TIMEOUT}.
 */
public class DrillFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final FailureReason reason;

    public DrillFailedException(FailureReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DrillFailedException(FailureReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
