package dev.lifeboat.store;

import java.time.Instant;

/** An object as a listing shows it. */
public record StoredObject(String key, long size, Instant lastModified) {}
