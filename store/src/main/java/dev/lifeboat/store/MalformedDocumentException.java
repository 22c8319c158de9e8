package dev.lifeboat.store;

/**
 * A document is stored under the key but cannot be read as what it should be (empty, truncated,
 * not JSON, incompatible fields). A problem of that one object, never a store outage.
 */
public class MalformedDocumentException extends RuntimeException {
    private final String key;

    public MalformedDocumentException(String key, String region, Throwable cause) {
        super(key + " in region " + region + " is not a readable document: " + firstLine(cause.getMessage()), cause);
        this.key = key;
    }

    public String key() {
        return key;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
