package dev.lifeboat.events;

/** A Kafka record that is not a Lifeboat CloudEvent of the expected type: a poison record. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
