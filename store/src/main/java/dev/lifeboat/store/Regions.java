package dev.lifeboat.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.lifeboat.store.memory.InMemoryObjectStore;
import dev.lifeboat.store.s3.S3ObjectStore;
import io.quarkus.runtime.StartupEvent;

import org.jboss.logging.Logger;

/**
 * The object store of every configured region; one {@link ObjectStore} each, of the region's
 * {@code type} ({@code s3} by default, {@code memory} for tests).
 */
@ApplicationScoped
public class Regions {
    private static final Logger LOG = Logger.getLogger(Regions.class);

    private final String primary;
    private final boolean createBuckets;
    private final Map<String, ObjectStore> stores = new TreeMap<>();

    public Regions(LifeboatConfig config) {
        this.primary = config.primaryRegion();
        this.createBuckets = config.createBuckets();
        config.regions().forEach((name, r) -> stores.put(name, open(region(name, r))));
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

    static Region region(String name, LifeboatConfig.RegionSettings r) {
        LifeboatConfig.ConnectionSettings c = r.connection();
        CallLimits limits = new CallLimits(c.idleTimeout(), c.requestTimeout(), c.minBytesPerSecond(),
                c.healthTimeout(), c.attempts());
        if (Region.MEMORY.equals(r.type())) {
            return new Region(name, Region.MEMORY, null, null, null, name, null, limits, null);
        }
        return new Region(name, r.type(), required(name, "endpoint", r.endpoint()),
                required(name, "access-key", r.accessKey()), required(name, "secret-key", r.secretKey()),
                required(name, "bucket", r.bucket()), r.signingRegion().orElse(null), limits,
                r.caFile().filter(f -> !f.isBlank()).map(Path::of).orElse(null));
    }

    private static String required(String region, String key, Optional<String> value) {
        return value.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalArgumentException(
                "lifeboat.regions." + region + "." + key + " is required for a store of type s3"));
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
