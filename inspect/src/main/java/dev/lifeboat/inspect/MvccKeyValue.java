package dev.lifeboat.inspect;

import dev.lifeboat.inspect.content.MalformedProtobufException;
import dev.lifeboat.inspect.content.ProtobufReader;

import java.nio.ByteBuffer;

/**
 * The fields of etcd's mvccpb.KeyValue that the inspection needs (key=1, create_revision=2,
 * mod_revision=3, version=4, value=5, lease=6). Buffers are views of the page being read.
 */
record MvccKeyValue(ByteBuffer key, long createRevision, long modRevision, long version, ByteBuffer value, long lease) {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    static MvccKeyValue decode(ByteBuffer bytes) throws MalformedProtobufException {
        ProtobufReader r = new ProtobufReader(bytes);
        ByteBuffer key = null;
        ByteBuffer value = EMPTY;
        long create = 0;
        long mod = 0;
        long version = 0;
        long lease = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> key = r.readBytes();
                case 2 -> create = r.readVarint();
                case 3 -> mod = r.readVarint();
                case 4 -> version = r.readVarint();
                case 5 -> value = r.readBytes();
                case 6 -> lease = r.readVarint();
                default -> r.skip();
            }
        }
        if (key == null) {
            throw new MalformedProtobufException("KeyValue without a key");
        }
        return new MvccKeyValue(key, create, mod, version, value, lease);
    }
}
