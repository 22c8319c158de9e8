package dev.lifeboat.store.memory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;

import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.StoredObject;
import dev.lifeboat.store.VersionedObject;

/**
 * A region held in this JVM's memory ({@code lifeboat.regions.<name>.type=memory}): for fast tests
 * and trials, never for backups. An upload is read whole before it becomes visible, so a producer
 * that breaks leaves nothing behind, as with the S3 store. {@link #setAvailable(boolean)} plays an
 * outage: every call then fails with {@link StoreException}; {@link #failNext} fails single calls
 * on one key, including the ambiguous kind where the write happened but its answer was lost.
 */
public final class InMemoryObjectStore implements ObjectStore {
    private record Blob(byte[] bytes, Instant lastModified, String etag) {
        Blob(byte[] bytes, Instant lastModified) {
            this(bytes, lastModified, UUID.randomUUID().toString());
        }
    }

    /** The calls {@link #failNext} can fail. */
    public enum Verb { PUT, GET, STAT, DELETE }

    private record Fault(Verb verb, String key, boolean appliedAnyway) {}

    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();

    private final String name;
    private final Clock clock;
    private final ConcurrentSkipListMap<String, Blob> objects = new ConcurrentSkipListMap<>();
    private volatile boolean available = true;

    public InMemoryObjectStore(String name) {
        this(name, Clock.systemUTC());
    }

    public InMemoryObjectStore(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
    }

    /** False: every call fails as if the store were unreachable, until set true again. */
    public void setAvailable(boolean available) {
        this.available = available;
    }

    /**
     * The next {@code times} calls of {@code verb} on {@code key} fail with {@link StoreException}
     * (after the store's own retries, as a caller sees it). With {@code appliedAnyway} a PUT or
     * DELETE takes effect before it fails: a request whose answer was lost.
     */
    public void failNext(Verb verb, String key, int times, boolean appliedAnyway) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(verb, key, appliedAnyway));
        }
    }

    /** Throws for a fault injected on this call, after applying it when it is an ambiguous one. */
    private void injected(Verb verb, String key, Runnable apply) {
        for (Fault f : faults) {
            if (f.verb() == verb && f.key().equals(key) && faults.remove(f)) {
                if (f.appliedAnyway()) {
                    apply.run();
                }
                throw new StoreException(verb + " " + key + " in region " + name + " failed: injected fault", null);
            }
        }
        apply.run();
    }

    @Override
    public String regionName() {
        return name;
    }

    @Override
    public String location() {
        return "memory:" + name;
    }

    @Override
    public void ensureBucket() {
        check("create bucket");
    }

    @Override
    public boolean isReachable() {
        return available;
    }

    @Override
    public void put(String key, InputStream in, long size, String contentType) {
        check("put " + key);
        byte[] bytes;
        try {
            bytes = size < 0 ? in.readAllBytes() : in.readNBytes((int) Math.min(size, Integer.MAX_VALUE));
        } catch (IOException e) {
            throw new StoreException("put " + key + " in region " + name + " failed: " + e.getMessage(), e);
        }
        if (size >= 0 && bytes.length != size) {
            throw new StoreException("put " + key + " in region " + name + " failed: stream ended after "
                    + bytes.length + " of " + size + " bytes", null);
        }
        byte[] whole = bytes;
        injected(Verb.PUT, key, () -> objects.put(key, new Blob(whole, clock.instant())));
    }

    @Override
    public InputStream get(String key) {
        check("get " + key);
        injected(Verb.GET, key, () -> { });
        Blob blob = objects.get(key);
        if (blob == null) {
            throw new ObjectMissingException(key);
        }
        return new ByteArrayInputStream(blob.bytes());
    }

    @Override
    public Optional<VersionedObject> getVersioned(String key) {
        check("get " + key);
        injected(Verb.GET, key, () -> { });
        Blob blob = objects.get(key);
        return blob == null ? Optional.empty() : Optional.of(new VersionedObject(blob.bytes(), blob.etag()));
    }

    @Override
    public Optional<String> putIfAbsent(String key, byte[] bytes, String contentType) {
        check("put " + key);
        Blob blob = new Blob(bytes.clone(), clock.instant());
        boolean[] written = new boolean[1];
        injected(Verb.PUT, key, () -> written[0] = objects.putIfAbsent(key, blob) == null);
        return written[0] ? Optional.of(blob.etag()) : Optional.empty();
    }

    @Override
    public Optional<String> replaceIfUnchanged(String key, String etag, byte[] bytes, String contentType) {
        check("put " + key);
        Blob blob = new Blob(bytes.clone(), clock.instant());
        boolean[] written = new boolean[1];
        injected(Verb.PUT, key, () -> objects.computeIfPresent(key, (k, current) -> {
            written[0] = current.etag().equals(etag);
            return written[0] ? blob : current;
        }));
        return written[0] ? Optional.of(blob.etag()) : Optional.empty();
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        check("stat " + key);
        injected(Verb.STAT, key, () -> { });
        Blob blob = objects.get(key);
        return blob == null ? Optional.empty() : Optional.of(new StoredObject(key, blob.bytes().length, blob.lastModified()));
    }

    @Override
    public List<StoredObject> list(String prefix) {
        check("list " + prefix);
        return objects.tailMap(prefix).entrySet().stream()
                .takeWhile(e -> e.getKey().startsWith(prefix))
                .map(e -> new StoredObject(e.getKey(), e.getValue().bytes().length, e.getValue().lastModified()))
                .toList();
    }

    @Override
    public void delete(String key) {
        check("delete " + key);
        injected(Verb.DELETE, key, () -> objects.remove(key));
    }

    @Override
    public void deleteAll(List<String> keys) {
        check("delete " + keys.size() + " objects");
        keys.forEach(key -> injected(Verb.DELETE, key, () -> objects.remove(key)));
    }

    @Override
    public int abortUploadsStartedBefore(String prefix, Instant startedBefore) {
        check("list uploads under " + prefix);
        return 0; // uploads are never partly stored here
    }

    private void check(String what) {
        if (!available) {
            throw new StoreException(what + " in region " + name + " failed: the store is unavailable", null);
        }
    }
}
