package dev.lifeboat.inspect.bolt;

import java.nio.ByteBuffer;

/** Chooses, per top-level bucket, who receives its entries. */
@FunctionalInterface
public interface BucketVisitor {
    /**
     * @param name the bucket name, valid only during the call
     * @return the visitor for the bucket's entries, or {@code null} to skip the bucket entirely
     */
    EntryVisitor bucket(ByteBuffer name) throws BoltFormatException;
}
