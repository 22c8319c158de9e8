package dev.lifeboat.store;

/** The object store could not be reached or refused a request (reason STORE_UNAVAILABLE). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
