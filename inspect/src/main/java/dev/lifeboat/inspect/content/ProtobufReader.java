package dev.lifeboat.inspect.content;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protobuf wire-format reader over a buffer: just enough to pick a few fields out of
 * etcd's KeyValue and Kubernetes' runtime.Unknown without any protobuf library.
 */
public final class ProtobufReader {
    public static final int VARINT = 0;
    public static final int FIXED64 = 1;
    public static final int LENGTH_DELIMITED = 2;
    public static final int FIXED32 = 5;

    private final ByteBuffer buf;
    private int position;
    private final int limit;
    private int tag;

    public ProtobufReader(ByteBuffer buf) {
        this.buf = buf;
        this.position = buf.position();
        this.limit = buf.limit();
    }

    /** Advances to the next field; false at the end of the message. */
    public boolean next() throws MalformedProtobufException {
        if (position >= limit) {
            return false;
        }
        long t = varint();
        if (t >>> 32 != 0 || (t >>> 3) == 0) {
            throw new MalformedProtobufException("invalid field tag " + t);
        }
        tag = (int) t;
        return true;
    }

    public int field() {
        return tag >>> 3;
    }

    public int wireType() {
        return tag & 7;
    }

    /** Reads the current field as a varint. */
    public long readVarint() throws MalformedProtobufException {
        expect(VARINT);
        return varint();
    }

    /** Reads the current length-delimited field as a view of the same buffer. */
    public ByteBuffer readBytes() throws MalformedProtobufException {
        expect(LENGTH_DELIMITED);
        long length = varint();
        if (length < 0 || length > limit - position) {
            throw new MalformedProtobufException("field " + field() + " runs past the end of the message");
        }
        ByteBuffer slice = buf.slice(position, (int) length);
        position += (int) length;
        return slice;
    }

    public String readString() throws MalformedProtobufException {
        ByteBuffer bytes = readBytes();
        byte[] a = new byte[bytes.remaining()];
        bytes.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    /** Skips the current field, whatever its wire type. */
    public void skip() throws MalformedProtobufException {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> readBytes();
            case FIXED32 -> advance(4);
            default -> throw new MalformedProtobufException("unsupported wire type " + wireType());
        }
    }

    private void expect(int wireType) throws MalformedProtobufException {
        if (wireType() != wireType) {
            throw new MalformedProtobufException("field " + field() + " has wire type " + wireType()
                    + ", expected " + wireType);
        }
    }

    private void advance(int n) throws MalformedProtobufException {
        if (n > limit - position) {
            throw new MalformedProtobufException("message ends inside a fixed-size field");
        }
        position += n;
    }

    private long varint() throws MalformedProtobufException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                throw new MalformedProtobufException("message ends inside a varint");
            }
            byte b = buf.get(position++);
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new MalformedProtobufException("varint longer than 10 bytes");
    }
}
