package dev.lifeboat.inspect.content;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the API server keeps an object: {@code /registry/<resource>/[<namespace>/]<name>}, with a few
 * historical storage names and {@code /registry/<group>/<plural>/...} for resources stored under their
 * API group (custom resources and a few built-in ones).
 *
 * @param resource  the resource as users name it ({@code pods}, {@code widgets.example.com})
 * @param group     the API group when the key carries one, else empty
 * @param namespace the namespace, or empty for cluster-scoped objects
 * @param name      the object name
 */
public record RegistryKey(String resource, String group, String namespace, String name) {
    public static final String PREFIX = "/registry/";

    /** Storage names that differ from the resource name. */
    private static final Map<String, String> STORAGE_NAMES = Map.of(
            "services/specs", "services",
            "services/endpoints", "endpoints",
            "minions", "nodes",
            "controllers", "replicationcontrollers",
            "ingress", "ingresses");

    /** Built-in resources stored under their group; everything else with a dotted prefix is custom. */
    private static final Set<String> BUILT_IN_GROUPS = Set.of("apiextensions.k8s.io", "apiregistration.k8s.io");

    /** Whether the object is a custom resource (its group is not one of Kubernetes' own). */
    public boolean custom() {
        return !group.isEmpty() && !BUILT_IN_GROUPS.contains(group);
    }

    /** Parses a key under {@code /registry/}; empty when the key does not name an object. */
    public static Optional<RegistryKey> parse(String key) {
        if (!key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = key.substring(PREFIX.length()).split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                return Optional.empty();
            }
        }
        int used;
        String resource;
        String group = "";
        if (parts.length >= 2 && STORAGE_NAMES.containsKey(parts[0] + "/" + parts[1])) {
            resource = STORAGE_NAMES.get(parts[0] + "/" + parts[1]);
            used = 2;
        } else if (parts[0].contains(".") && parts.length >= 2) {
            group = parts[0];
            resource = parts[1] + "." + group;
            used = 2;
        } else {
            resource = STORAGE_NAMES.getOrDefault(parts[0], parts[0]);
            used = 1;
        }
        int rest = parts.length - used;
        if (rest == 1) {
            return Optional.of(new RegistryKey(resource, group, "", parts[used]));
        }
        if (rest == 2) {
            return Optional.of(new RegistryKey(resource, group, parts[used], parts[used + 1]));
        }
        return Optional.empty();
    }
}
