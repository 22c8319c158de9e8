package dev.lifeboat.inspect;

/** Why a snapshot file is not a valid etcd snapshot, most precise first found. */
public enum Corruption {
    /** Shorter than its own structure says (or not whole pages plus the trailer). */
    TRUNCATED,
    /** The 32-byte sha256 trailer does not match the bytes before it. */
    HASH_MISMATCH,
    /** The bbolt database is not valid. */
    CORRUPT_DB
}
