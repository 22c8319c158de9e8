package dev.lifeboat.store;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

/** The object store of every configured region; one {@link ObjectStore} each. */
@ApplicationScoped
public class Regions {
    private final String primary;
    private final Map<String, ObjectStore> stores = new TreeMap<>();

    public Regions(RegionsConfig config) {
        this.primary = config.primaryRegion();
        config.regions().forEach((name, r) -> stores.put(name,
                new ObjectStore(new Region(name, r.endpoint(), r.accessKey(), r.secretKey(), r.bucket()))));
        if (!stores.containsKey(primary)) {
            throw new IllegalArgumentException("lifeboat.primary-region=" + primary
                    + " names no region under lifeboat.regions (have: " + stores.keySet() + ")");
        }
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
