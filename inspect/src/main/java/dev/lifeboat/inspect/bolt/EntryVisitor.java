package dev.lifeboat.inspect.bolt;

import java.nio.ByteBuffer;

/** Receives the entries of one bucket in key order; the buffers are valid only during the call. */
@FunctionalInterface
public interface EntryVisitor {
    /**
     * @param key   the key bytes
     * @param value the value bytes, or {@code null} when the entry is a nested bucket
     * @throws BoltFormatException when the entry's content is invalid for the caller
     */
    void entry(ByteBuffer key, ByteBuffer value) throws BoltFormatException;
}
