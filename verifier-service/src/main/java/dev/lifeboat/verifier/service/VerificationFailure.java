package dev.lifeboat.verifier.service;

import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Stage;

/** A check of a snapshot failed: where ({@link Stage#VERIFY} or {@link Stage#RESTORE_TEST}) and why. */
public class VerificationFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final Stage stage;
    private final FailureReason reason;

    public VerificationFailure(Stage stage, FailureReason reason, String message) {
        super(message);
        this.stage = stage;
        this.reason = reason;
    }

    public Stage stage() {
        return stage;
    }

    public FailureReason reason() {
        return reason;
    }
}
