package dev.lifeboat.inspect;

/** One live key of a snapshot with its value and last modification revision, for read-back checks. */
public record KeyValueSample(byte[] key, byte[] value, long modRevision) {
}
