package dev.lifeboat.verifier.download;

/** The local scratch disk cannot take what a verification must write: not a fault of the snapshot or the store. */
public class ScratchSpaceException extends Exception {
    private static final long serialVersionUID = 1L;

    public ScratchSpaceException(String message) {
        super(message);
    }

    public ScratchSpaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
