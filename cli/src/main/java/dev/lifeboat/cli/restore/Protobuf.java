package dev.lifeboat.cli.restore;

import java.io.ByteArrayOutputStream;

/**
 * The few protobuf encodings etcd's WAL and snapshot files need, in the field order and with the
 * always-written scalars of etcd's gogo-generated marshallers (proto2, non-nullable fields).
 */
final class Protobuf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A varint field, written even when zero. */
    Protobuf varint(int field, long value) {
        tag(field, 0);
        raw(value);
        return this;
    }

    /** A length-delimited field. */
    Protobuf bytes(int field, byte[] value) {
        tag(field, 2);
        raw(value.length);
        out.writeBytes(value);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        raw(((long) field << 3) | wireType);
    }

    private void raw(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
