package dev.lifeboat.cli;

/** Ends a command with the failure's exit code and one line: {@code lifeboat: <failure>: <message>}. */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Failure failure;

    CommandFailure(Failure failure, String message) {
        super(message, null, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }

    /** The line printed on stderr. */
    public String line() {
        return "lifeboat: " + failure.label() + ": " + getMessage();
    }
}
