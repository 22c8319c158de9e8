package dev.lifeboat.common.regions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where one cluster's snapshots must live besides the region they are read from: what the
 * replicator copies to and what the freshness watchdog judges. Either {@link Known} from the
 * cluster's registration, or {@link Unknown} — the registry is not loaded, or the cluster is not
 * (or no longer) registered — and then the answer is "wait", never "every secondary": a cluster
 * kept to some regions for data residency must not be copied elsewhere because its registration
 * was missed.
 */
public sealed interface ReplicationTargets {

    /**
     * The cluster's registration says where.
     *
     * @param source       the region the snapshot is read from (never a target)
     * @param regions      configured regions to copy to, in the order named
     * @param unconfigured names in {@code replicateTo} that no region is configured for (a failure event each)
     */
    record Known(String source, List<String> regions, List<String> unconfigured) implements ReplicationTargets {
        public Known {
            regions = List.copyOf(regions);
            unconfigured = List.copyOf(unconfigured);
        }

        /** The source followed by the targets: every region that must hold the cluster's backups. */
        public List<String> withSource() {
            List<String> all = new ArrayList<>();
            all.add(source);
            all.addAll(regions);
            return List.copyOf(all);
        }
    }

    /** Not known now; {@code why} says what is missing. Nothing is copied until it is known. */
    record Unknown(String why) implements ReplicationTargets {}

    /**
     * The targets of a registered cluster.
     *
     * @param replicateTo the cluster's list; null (not set) means every secondary, the registered default
     * @param source      the region the snapshot is read from
     * @param secondaries every configured region other than the primary
     * @param configured  every configured region
     */
    static Known of(List<String> replicateTo, String source, List<String> secondaries, Set<String> configured) {
        if (replicateTo == null) {
            return new Known(source, secondaries.stream().filter(r -> !r.equals(source)).toList(), List.of());
        }
        List<String> regions = new ArrayList<>();
        List<String> unconfigured = new ArrayList<>();
        for (String name : new LinkedHashSet<>(replicateTo)) {
            if (name == null || name.equals(source)) {
                continue; // the source already holds the snapshot
            }
            (configured.contains(name) ? regions : unconfigured).add(name);
        }
        return new Known(source, regions, unconfigured);
    }

    static Unknown unknown(String why) {
        return new Unknown(why);
    }
}
