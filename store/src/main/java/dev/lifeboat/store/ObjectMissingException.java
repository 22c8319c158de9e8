package dev.lifeboat.store;

/** The object store answered, and the object is not there. */
public class ObjectMissingException extends RuntimeException {
    private final String key;

    public ObjectMissingException(String key) {
        super("no object " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
