package dev.lifeboat.store;

/**
 * A small object's bytes with the entity tag of that version, what a conditional replace
 * ({@link ObjectStore#replaceIfUnchanged}) names.
 */
public record VersionedObject(byte[] bytes, String etag) {}
