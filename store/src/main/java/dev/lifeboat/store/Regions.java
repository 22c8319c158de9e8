package dev.lifeboat.store;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/** The object store of every configured region; one {@link ObjectStore} each. */
@ApplicationScoped
public class Regions {
    private static final Logger LOG = Logger.getLogger(Regions.class.getName());

    private final String primary;
    private final boolean createBuckets;
    private final Map<String, ObjectStore> stores = new TreeMap<>();

    public Regions(LifeboatConfig config) {
        this.primary = config.primaryRegion();
        this.createBuckets = config.createBuckets();
        config.regions().forEach((name, r) -> stores.put(name,
                new ObjectStore(new Region(name, r.endpoint(), r.accessKey(), r.secretKey(), r.bucket()))));
        if (!stores.containsKey(primary)) {
            throw new IllegalArgumentException("lifeboat.primary-region=" + primary
                    + " names no region under lifeboat.regions (have: " + stores.keySet() + ")");
        }
    }

    /**
     * Creates missing buckets when the application starts ({@code lifeboat.create-buckets}, default
     * true). A store that is down now is reported, not fatal: readiness shows it and every
     * operation on it fails with STORE_UNAVAILABLE until it is back.
     */
    void createBuckets(@Observes StartupEvent started) {
        if (!createBuckets) {
            return;
        }
        stores.values().forEach(store -> {
            try {
                store.ensureBucket();
            } catch (StoreException e) {
                LOG.warning("bucket of region " + store.regionName() + " not checked: " + e.getMessage());
            }
        });
    }

    public ObjectStore primary() {
        return stores.get(primary);
    }

    public String primaryName() {
        return primary;
    }

    /** The store of region {@code name}; throws for a region that is not configured. */
    public ObjectStore get(String name) {
        ObjectStore store = stores.get(name);
        if (store == null) {
            throw new IllegalArgumentException("unknown region " + name + " (configured: " + stores.keySet() + ")");
        }
        return store;
    }

    public boolean has(String name) {
        return stores.containsKey(name);
    }

    public List<String> names() {
        return List.copyOf(stores.keySet());
    }

    /** Every region other than the primary, by name. */
    public List<String> secondaries() {
        return stores.keySet().stream().filter(n -> !n.equals(primary)).toList();
    }
}
