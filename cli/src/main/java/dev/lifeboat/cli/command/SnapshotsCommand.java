package dev.lifeboat.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lifeboat.cli.store.RegionCatalog;
import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.store.CatalogEntry;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.StoredObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "snapshots", description = "A cluster's catalog in the region, newest first: revision, size, verified, "
        + "replicated-to (other configured regions holding it), drill RTO.")
public final class SnapshotsCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--cluster", required = true, paramLabel = "ID")
    String cluster;

    @Option(names = "--json", description = "one JSON array instead of the table")
    boolean json;

    @Spec
    CommandSpec spec;

    /** One catalog line. {@code replicatedTo} lists configured regions that hold the complete snapshot. */
    public record Line(String snapshotId, Instant takenAt, long revision, long sizeBytes, String sha256,
                       boolean verified, List<String> replicatedTo, List<String> unreachableRegions,
                       Long drillRtoMillis) {
    }

    @Override
    public Integer call() throws JsonProcessingException {
        RegionCatalog catalog = store.catalog();
        List<CatalogEntry> entries = catalog.complete(cluster);
        Map<String, Set<String>> elsewhere = new TreeMap<>();
        List<String> unreachable = new ArrayList<>();
        for (ObjectStore other : store.others()) {
            try {
                Set<String> ids = new HashSet<>();
                String prefix = SnapshotLayout.clusterPrefix(cluster);
                for (StoredObject o : other.list(prefix)) {
                    if (o.key().endsWith("/" + SnapshotLayout.MANIFEST)) {
                        ids.add(o.key().substring(prefix.length(), o.key().length() - SnapshotLayout.MANIFEST.length() - 1));
                    }
                }
                elsewhere.put(other.regionName(), ids);
            } catch (StoreException e) {
                unreachable.add(other.regionName());
            }
        }
        List<Line> lines = new ArrayList<>();
        for (CatalogEntry e : entries) {
            Long rto = e.verified() ? catalog.verification(cluster, e.snapshotId())
                    .map(SnapshotVerified::drill).map(SnapshotVerified.RestoreDrill::rtoMillis).orElse(null) : null;
            List<String> replicated = elsewhere.entrySet().stream()
                    .filter(r -> r.getValue().contains(e.snapshotId())).map(Map.Entry::getKey).toList();
            lines.add(new Line(e.snapshotId(), e.manifest().takenAt(), e.manifest().revision(), e.manifest().sizeBytes(),
                    e.manifest().sha256(), e.verified(), replicated, List.copyOf(unreachable), rto));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(lines));
            return 0;
        }
        out.printf("%-26s %-20s %10s %12s %-8s %-20s %s%n", "SNAPSHOT", "TAKEN", "REVISION", "SIZE", "VERIFIED",
                "REPLICATED-TO", "DRILL RTO");
        for (Line l : lines) {
            List<String> to = new ArrayList<>(l.replicatedTo());
            l.unreachableRegions().forEach(r -> to.add(r + "?"));
            out.printf("%-26s %-20s %10d %12d %-8s %-20s %s%n", l.snapshotId(), l.takenAt().toString().replaceAll("\\.\\d+Z$", "Z"),
                    l.revision(), l.sizeBytes(), l.verified() ? "yes" : "no", to.isEmpty() ? "-" : String.join(",", to),
                    l.drillRtoMillis() == null ? "-" : l.drillRtoMillis() + " ms");
        }
        if (!unreachable.isEmpty()) {
            out.println("(regions marked ? could not be reached)");
        }
        return 0;
    }
}
