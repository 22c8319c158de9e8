package dev.lifeboat.inspect.content;

/** Bytes that do not follow the protobuf wire format where a message was expected. */
public class MalformedProtobufException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedProtobufException(String message) {
        super(message);
    }
}
