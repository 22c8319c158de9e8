package dev.lifeboat.verifier.verification;

import dev.lifeboat.common.failure.LifeboatFailure;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Stage;

/**
 * A check of a snapshot failed: where ({@link Stage#VERIFY} or {@link Stage#RESTORE_TEST}) and
 * why. {@link #retriable()} failures say nothing final about the snapshot (no manifest to record
 * beside, a full scratch disk): they are published but not recorded as its verdict, so a later
 * try can still decide.
 */
public class VerificationFailure extends LifeboatFailure {
    private static final long serialVersionUID = 1L;

    private final Stage stage;

    public VerificationFailure(Stage stage, FailureReason reason, String message) {
        this(stage, reason, false, message);
    }

    private VerificationFailure(Stage stage, FailureReason reason, boolean retriable, String message) {
        super(reason, null, retriable, message, null);
        this.stage = stage;
    }

    /** A failure that is published but not recorded as the snapshot's verdict. */
    public static VerificationFailure notFinal(Stage stage, FailureReason reason, String message) {
        return new VerificationFailure(stage, reason, true, message);
    }

    public Stage stage() {
        return stage;
    }
}
