package dev.lifeboat.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lifeboat.cli.Failure;
import dev.lifeboat.cli.Progress;
import dev.lifeboat.cli.Scratch;
import dev.lifeboat.cli.store.RegionCatalog;
import dev.lifeboat.cli.store.SnapshotDownload;
import dev.lifeboat.events.EventJson;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.inspect.CorruptSnapshotException;
import dev.lifeboat.inspect.SnapshotInspection;
import dev.lifeboat.inspect.SnapshotInspector;
import dev.lifeboat.inspect.content.ContentSummary;
import dev.lifeboat.inspect.status.SnapshotStatus;
import dev.lifeboat.store.CatalogEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "verify", description = "Download (streamed) and check a snapshot: sha256 against the manifest, trailer, "
        + "bbolt structure, status equal to etcdctl snapshot status, Kubernetes content. Exit 0 only if all hold.")
public final class VerifyCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--cluster", required = true, paramLabel = "ID")
    String cluster;

    @Option(names = "--snapshot", paramLabel = "ID", description = "default: the newest verified snapshot")
    String snapshot;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "where the download is kept while it is checked "
            + "(default: the system temporary directory)")
    Path workDir;

    @Option(names = "--json", description = "the report as JSON")
    boolean json;

    @Spec
    CommandSpec spec;

    /** What verify found; {@code verificationJson} says whether the verifier's stored report agrees. */
    public record Report(String clusterId, String snapshotId, String region, String sha256, SnapshotStatus status,
                         long liveKeys, long compactRevision, String clusterVersion, List<String> members,
                         ContentSummary content, String verificationJson) {
    }

    @Override
    public Integer call() throws IOException {
        RegionCatalog catalog = store.catalog();
        CatalogEntry entry = catalog.choose(cluster, snapshot);
        Path dir = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
        if (!Files.isDirectory(dir)) {
            throw Failure.USAGE.because("--work-dir " + dir + " is not a directory");
        }
        SnapshotInspection inspection;
        try (Scratch scratch = new Scratch()) {
            SnapshotDownload.Checked file = CheckedSnapshot.download(catalog, entry, dir, scratch,
                    Progress.onTerminal(System.err));
            try {
                inspection = SnapshotInspector.inspect(file.file(), 0);
            } catch (CorruptSnapshotException e) {
                throw CheckedSnapshot.failure(e);
            }
        }
        Optional<SnapshotVerified> stored = catalog.verification(cluster, entry.snapshotId());
        List<String> differences = stored.map(v -> differences(v, inspection)).orElse(List.of());
        String agreement = stored.isEmpty() ? "absent" : differences.isEmpty() ? "agrees" : "differs: "
                + String.join("; ", differences);
        Report report = new Report(cluster, entry.snapshotId(), catalog.region(), entry.manifest().sha256(),
                inspection.status(), inspection.liveKeys(), inspection.compactRevision(), inspection.clusterVersion(),
                inspection.members(), inspection.content(), agreement);
        print(report);
        if (!differences.isEmpty()) {
            throw Failure.CHECKSUM_MISMATCH.because("snapshot " + entry.snapshotId() + " no longer reads as the verifier "
                    + "recorded in verification.json: " + String.join("; ", differences));
        }
        return 0;
    }

    private static List<String> differences(SnapshotVerified v, SnapshotInspection i) {
        List<String> d = new ArrayList<>();
        SnapshotStatus s = i.status();
        if (v.status() != null && !v.status().equals(new SnapshotVerified.Status(s.hash(), s.revision(), s.totalKeys(),
                s.totalSize()))) {
            d.add("status " + v.status() + " recorded, " + s + " read");
        }
        if (v.liveKeys() != i.liveKeys()) {
            d.add(v.liveKeys() + " live keys recorded, " + i.liveKeys() + " read");
        }
        ContentSummary c = i.content();
        if (v.content() != null && v.content().kubernetesObjects() != c.kubernetesObjects()) {
            d.add(v.content().kubernetesObjects() + " Kubernetes objects recorded, " + c.kubernetesObjects() + " read");
        }
        return d;
    }

    private void print(Report r) throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
            return;
        }
        SnapshotStatus s = r.status();
        ContentSummary c = r.content();
        out.printf("snapshot      %s/%s in region %s%n", r.clusterId(), r.snapshotId(), r.region());
        out.printf("sha256        %s (equals the manifest's; trailer matches)%n", r.sha256());
        out.printf("status        hash %08x, revision %d, total keys %d, total size %d (as etcdctl snapshot status)%n",
                s.hash(), s.revision(), s.totalKeys(), s.totalSize());
        out.printf("live keys     %d, compacted at revision %d, cluster version %s%n", r.liveKeys(), r.compactRevision(),
                r.clusterVersion().isEmpty() ? "-" : r.clusterVersion());
        r.members().forEach(m -> out.printf("member        %s%n", m));
        out.printf("kubernetes    %d objects in %d namespaces, %d custom resources, %d encrypted values%n",
                c.kubernetesObjects(), c.namespaces().size(),
                c.customResourcesByGroup().values().stream().mapToLong(Long::longValue).sum(), c.encryptedValues());
        out.printf("verification  verification.json %s%n", r.verificationJson());
    }
}
