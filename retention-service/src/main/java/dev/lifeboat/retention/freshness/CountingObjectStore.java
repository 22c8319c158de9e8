package dev.lifeboat.retention.freshness;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.StoredObject;
import dev.lifeboat.store.VersionedObject;

/**
 * Counts the requests made through a store, by the key or prefix they name: what a watchdog pass
 * costs ({@code lifeboat_retention_watchdog_pass_store_requests}), and in tests what any pass of
 * the service costs. Everything is passed on unchanged. A listing counts as one request (S3 pages
 * listings by 1,000 keys, so a listing of more keys makes more).
 */
public final class CountingObjectStore implements ObjectStore {
    private final ObjectStore store;
    private final Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();

    public CountingObjectStore(ObjectStore store) {
        this.store = store;
    }

    /** Requests made so far, by the key or prefix they named. */
    public Map<String, Integer> requests() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        byKey.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public int total() {
        return byKey.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public void reset() {
        byKey.clear();
    }

    private void count(String key) {
        byKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override public String regionName() { return store.regionName(); }
    @Override public String location() { return store.location(); }
    @Override public void ensureBucket() { count("(bucket)"); store.ensureBucket(); }
    @Override public boolean isReachable() { count("(bucket)"); return store.isReachable(); }

    @Override
    public void put(String key, InputStream in, long size, String contentType) {
        count(key);
        store.put(key, in, size, contentType);
    }

    @Override public InputStream get(String key) { count(key); return store.get(key); }
    @Override public Optional<StoredObject> stat(String key) { count(key); return store.stat(key); }
    @Override public List<StoredObject> list(String prefix) { count(prefix); return store.list(prefix); }

    @Override
    public List<StoredObject> list(String prefix, String startAfter) {
        count(prefix);
        return store.list(prefix, startAfter);
    }

    @Override public void delete(String key) { count(key); store.delete(key); }
    @Override
    public void deleteAll(List<String> keys) {
        keys.stream().findFirst().ifPresent(this::count); // one multi-object delete request
        store.deleteAll(keys);
    }

    @Override
    public int abortUploadsStartedBefore(String prefix, Instant startedBefore) {
        count(prefix);
        return store.abortUploadsStartedBefore(prefix, startedBefore);
    }

    @Override
    public Optional<VersionedObject> getVersioned(String key) {
        count(key);
        return store.getVersioned(key);
    }

    @Override
    public Optional<String> putIfAbsent(String key, byte[] bytes, String contentType) {
        count(key);
        return store.putIfAbsent(key, bytes, contentType);
    }

    @Override
    public Optional<String> replaceIfUnchanged(String key, String etag, byte[] bytes, String contentType) {
        count(key);
        return store.replaceIfUnchanged(key, etag, bytes, contentType);
    }
}
