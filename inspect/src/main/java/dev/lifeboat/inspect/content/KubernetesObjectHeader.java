package dev.lifeboat.inspect.content;

import java.nio.ByteBuffer;

/**
 * Type and identity of a Kubernetes object stored as protobuf: the {@code k8s\0} magic, then a
 * runtime.Unknown {typeMeta=1 {apiVersion=1, kind=2}, raw=2}; inside raw, field 1 is ObjectMeta
 * {name=1, namespace=3}.
 */
public record KubernetesObjectHeader(String apiVersion, String kind, String namespace, String name) {
    private static final byte[] MAGIC = {'k', '8', 's', 0};

    /** Whether the value starts with the protobuf magic of the API server. */
    public static boolean isProtobuf(ByteBuffer value) {
        if (value.remaining() < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (value.get(value.position() + i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Decodes a protobuf value; {@link #isProtobuf} must hold. Absent strings are empty. */
    public static KubernetesObjectHeader decode(ByteBuffer value) throws MalformedProtobufException {
        ProtobufReader unknown = new ProtobufReader(value.slice(value.position() + MAGIC.length,
                value.remaining() - MAGIC.length));
        String apiVersion = "";
        String kind = "";
        ByteBuffer raw = null;
        while (unknown.next()) {
            switch (unknown.field()) {
                case 1 -> {
                    ProtobufReader typeMeta = new ProtobufReader(unknown.readBytes());
                    while (typeMeta.next()) {
                        switch (typeMeta.field()) {
                            case 1 -> apiVersion = typeMeta.readString();
                            case 2 -> kind = typeMeta.readString();
                            default -> typeMeta.skip();
                        }
                    }
                }
                case 2 -> raw = unknown.readBytes();
                default -> unknown.skip();
            }
        }
        if (kind.isEmpty() || raw == null) {
            throw new MalformedProtobufException("runtime.Unknown without kind or raw object");
        }
        String name = "";
        String namespace = "";
        ProtobufReader object = new ProtobufReader(raw);
        while (object.next()) {
            if (object.field() == 1) {
                ProtobufReader meta = new ProtobufReader(object.readBytes());
                while (meta.next()) {
                    switch (meta.field()) {
                        case 1 -> name = meta.readString();
                        case 3 -> namespace = meta.readString();
                        default -> meta.skip();
                    }
                }
            } else {
                object.skip();
            }
        }
        return new KubernetesObjectHeader(apiVersion, kind, namespace, name);
    }
}
