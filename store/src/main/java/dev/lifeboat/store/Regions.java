package dev.lifeboat.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.lifeboat.store.memory.InMemoryObjectStore;
import dev.lifeboat.store.s3.S3ObjectStore;

import org.jboss.logging.Logger;

/**
 * The object store of every configured region; one {@link ObjectStore} each, of the region's
 * {@code type} ({@code s3} by default, {@code memory} for tests). Plain Java: the services get it
 * as a bean from the service-kit (built from {@code lifeboat.regions.*}), a command builds it itself.
 */
public class Regions {
    private static final Logger LOG = Logger.getLogger(Regions.class);

    private final String primary;
    private final Map<String, ObjectStore> stores = new TreeMap<>();

    /** Opens the store of each region; {@code primary} must name one of them. */
    public Regions(String primary, Collection<Region> regions) {
        this.primary = primary;
        regions.forEach(r -> stores.put(r.name(), open(r)));
        if (!stores.containsKey(primary)) {
            throw new IllegalArgumentException("lifeboat.primary-region=" + primary
                    + " names no region under lifeboat.regions (have: " + stores.keySet() + ")");
        }
    }

    /** The store of one region, by its type: the one place an implementation is chosen. */
    public static ObjectStore open(Region region) {
        return switch (region.type()) {
            case Region.S3 -> new S3ObjectStore(region);
            case Region.MEMORY -> new InMemoryObjectStore(region.name());
            default -> throw new IllegalArgumentException("lifeboat.regions." + region.name() + ".type=" + region.type()
                    + " is not a known store type (" + Region.S3 + ", " + Region.MEMORY + ")");
        };
    }

    /**
     * Creates every missing bucket. A store that is down now is reported, not fatal: readiness
     * shows it and every operation on it fails with STORE_UNAVAILABLE until it is back.
     */
    public void ensureBuckets() {
        stores.values().forEach(store -> {
            try {
                store.ensureBucket();
            } catch (StoreException e) {
                LOG.warnf("bucket of region %s not checked: %s", store.regionName(), e.getMessage());
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
