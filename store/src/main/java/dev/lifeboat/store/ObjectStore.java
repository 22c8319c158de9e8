package dev.lifeboat.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.lifeboat.events.EventJson;

/**
 * One region's object store: the only way Lifeboat reads and writes objects. Implementations are
 * chosen per region by {@code lifeboat.regions.<name>.type} in {@link Regions#open(Region)}:
 * {@code s3} ({@link dev.lifeboat.store.s3.S3ObjectStore}) and {@code memory}
 * ({@link dev.lifeboat.store.memory.InMemoryObjectStore}).
 *
 * <p>Errors: {@link ObjectMissingException} when the store answered that the key does not exist,
 * {@link MalformedDocumentException} when a JSON document is there but cannot be read as the
 * expected type, {@link StoreException} for everything else (unreachable, refused, timed out) once
 * the implementation's own retries are spent. Callers never retry a store call themselves.
 */
public interface ObjectStore {
    /** The region's name, as configured. */
    String regionName();

    /** Where the store is, for health data and messages (never a secret). */
    String location();

    /** Creates the bucket (or whatever holds the objects) if it does not exist. */
    void ensureBucket();

    /** True when the store answers within the short health deadline and the bucket exists. */
    boolean isReachable();

    /**
     * Streams {@code in} to {@code key}. With {@code size} -1 the length is unknown. Either the
     * whole object becomes visible under {@code key} or nothing does.
     */
    void put(String key, InputStream in, long size, String contentType);

    /** Opens the object for streaming; the caller closes the stream. */
    InputStream get(String key);

    Optional<StoredObject> stat(String key);

    /** Every object under {@code prefix}, at any depth, in key order. */
    List<StoredObject> list(String prefix);

    /**
     * The objects under {@code prefix} whose keys sort after {@code startAfter}, in key order: with
     * keys that sort by time (snapshot ids do), the recent part of a history without listing all of
     * it. S3 answers it in the listing request itself ({@code start-after}).
     */
    default List<StoredObject> list(String prefix, String startAfter) {
        return list(prefix).stream().filter(o -> o.key().compareTo(startAfter) > 0).toList();
    }

    /** Removes {@code key}; a key that is not there is not an error. */
    void delete(String key);

    void deleteAll(List<String> keys);

    /** A small object whole, with its entity tag; empty when nothing is stored under {@code key}. */
    Optional<VersionedObject> getVersioned(String key);

    /**
     * Writes a small object only if nothing is stored under {@code key} (S3 {@code If-None-Match: *}).
     * Returns the new entity tag, or empty when an object is there. A retried request whose first
     * answer was lost may report empty although it wrote: callers read the object to tell.
     */
    Optional<String> putIfAbsent(String key, byte[] bytes, String contentType);

    /**
     * Replaces a small object only if it still is the version {@code etag} (S3 {@code If-Match}).
     * Returns the new entity tag, or empty when it changed meanwhile or is gone (same caveat as
     * {@link #putIfAbsent} for a retried request).
     */
    Optional<String> replaceIfUnchanged(String key, String etag, byte[] bytes, String contentType);

    /**
     * Aborts uploads under {@code prefix} that were started before {@code startedBefore} and never
     * completed (what a crash mid-upload leaves behind, invisible to {@link #list} but stored).
     *
     * @return how many were aborted
     */
    int abortUploadsStartedBefore(String prefix, Instant startedBefore);

    /** Writes a small object whole; it can be sent again if a first attempt is lost. */
    default void put(String key, byte[] bytes, String contentType) {
        put(key, new ByteArrayInputStream(bytes), bytes.length, contentType);
    }

    default void putJson(String key, Object document) {
        put(key, jsonBytes(document), "application/json");
    }

    /** A document as {@link #putJson} writes it. */
    static byte[] jsonBytes(Object document) {
        try {
            return EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize " + document.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads a JSON document. A document that is there but not valid JSON of {@code type} is a
     * {@link MalformedDocumentException}, a problem of that one object, not of the store.
     */
    default <T> T getJson(String key, Class<T> type) {
        byte[] bytes;
        try (InputStream in = get(key)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new StoreException("cannot read " + key + " from region " + regionName() + ": " + e.getMessage(), e);
        }
        try {
            return EventJson.mapper().readValue(bytes, type);
        } catch (IOException e) {
            throw new MalformedDocumentException(key, regionName(), e);
        }
    }
}
