package dev.lifeboat.verifier.service;

import dev.lifeboat.common.failure.LifeboatFailure;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Stage;

/** A check of a snapshot failed: where ({@link Stage#VERIFY} or {@link Stage#RESTORE_TEST}) and why. */
public class VerificationFailure extends LifeboatFailure {
    private static final long serialVersionUID = 1L;

    private final Stage stage;

    public VerificationFailure(Stage stage, FailureReason reason, String message) {
        super(reason, null, false, message, null);
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }
}
