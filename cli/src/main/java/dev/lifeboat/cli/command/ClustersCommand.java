package dev.lifeboat.cli.command;

import dev.lifeboat.cli.store.RegionCatalog;
import dev.lifeboat.store.CatalogEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "clusters", description = "The clusters that have snapshots in the region, with the newest verified snapshot's age.")
public final class ClustersCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RegionCatalog catalog = store.catalog();
        PrintWriter out = spec.commandLine().getOut();
        List<String> clusters = catalog.clusters();
        out.printf("%-30s %9s  %-26s %s%n", "CLUSTER", "SNAPSHOTS", "NEWEST VERIFIED", "AGE");
        Instant now = Instant.now();
        for (String cluster : clusters) {
            List<CatalogEntry> complete = catalog.complete(cluster);
            Optional<CatalogEntry> newest = complete.stream().filter(CatalogEntry::verified).findFirst();
            out.printf("%-30s %9d  %-26s %s%n", cluster, complete.size(),
                    newest.map(CatalogEntry::snapshotId).orElse("-"),
                    newest.map(e -> age(Duration.between(e.manifest().takenAt(), now))).orElse("-"));
        }
        if (clusters.isEmpty()) {
            out.println("(no cluster has snapshots in region " + catalog.region() + ")");
        }
        return 0;
    }

    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return s / 60 + "m";
        }
        if (s < 172800) {
            return s / 3600 + "h" + (s % 3600) / 60 + "m";
        }
        return s / 86400 + "d" + (s % 86400) / 3600 + "h";
    }
}
