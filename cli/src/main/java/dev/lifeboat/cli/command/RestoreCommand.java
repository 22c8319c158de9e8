package dev.lifeboat.cli.command;

import dev.lifeboat.cli.Failure;
import dev.lifeboat.cli.Progress;
import dev.lifeboat.cli.Scratch;
import dev.lifeboat.cli.restore.MemberRestore;
import dev.lifeboat.cli.restore.RestoredCluster;
import dev.lifeboat.cli.restore.PreparedDatabase;
import dev.lifeboat.cli.store.RegionCatalog;
import dev.lifeboat.cli.store.SnapshotDownload;
import dev.lifeboat.inspect.CorruptSnapshotException;
import dev.lifeboat.inspect.RevisionBump;
import dev.lifeboat.inspect.SnapshotInspector;
import dev.lifeboat.inspect.status.SnapshotStatus;
import dev.lifeboat.store.CatalogEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * Restores a snapshot into new etcd 3.4 data directories, with {@code etcdctl snapshot restore}'s flags.
 *
 * <p>Order of work: choose the snapshot (newest verified unless named), download it, check size,
 * sha256, trailer and bbolt structure, prepare the database once (revision bump, consistent index),
 * and only then build the member directories and move them into place. A later point-in-time restore
 * ({@code --to-revision}/{@code --to-time}) chooses the newest snapshot at or before the target and
 * replays continuous backup segments onto the prepared database in the same place, before the
 * members are written; nothing else changes.
 */
@Command(name = "restore", description = "Restore a snapshot into new etcd data directories (etcd 3.4 layout, member "
        + "and cluster ids as etcdctl snapshot restore makes them). With {name} in --data-dir, every member of "
        + "--initial-cluster is produced in one run.")
public final class RestoreCommand implements Callable<Integer> {
    /** Revisions added on top of the newest one any manifest records, for writes after that snapshot. */
    static final long KUBERNETES_MARGIN = 1_000_000;
    private static final String NAME_PLACEHOLDER = "{name}";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    @Mixin
    StoreOptions store;

    @Option(names = "--cluster", required = true, paramLabel = "ID")
    String cluster;

    @Option(names = "--snapshot", paramLabel = "ID", description = "default: the newest verified snapshot in the region")
    String snapshot;

    @Option(names = "--name", paramLabel = "NAME", description = "member to produce (default: 'default'; with {name} "
            + "in --data-dir: every member of --initial-cluster)")
    String name;

    @Option(names = "--initial-cluster", paramLabel = "N1=URL,...", defaultValue = "default=http://localhost:2380")
    String initialCluster;

    @Option(names = "--initial-cluster-token", paramLabel = "TOKEN", defaultValue = "etcd-cluster")
    String token;

    @Option(names = "--initial-advertise-peer-urls", paramLabel = "URL[,URL]",
            description = "the member's peer URLs; must equal its entry in --initial-cluster (default: that entry)")
    String advertisePeerUrls;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "default: <name>.etcd; {name} stands for each member")
    String dataDir;

    @Option(names = "--bump-revision", paramLabel = "K", defaultValue = "0",
            description = "the restored revision is the snapshot's + K")
    long bumpRevision;

    @Option(names = "--mark-compacted", description = "reads and watches below the bumped revision fail as compacted")
    boolean markCompacted;

    @Option(names = "--kubernetes", description = "safe for Kubernetes: choose K from the newest revision any manifest "
            + "of the cluster records plus " + KUBERNETES_MARGIN + ", and mark compacted")
    boolean kubernetes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        RestoredCluster restored = RestoredCluster.of(initialCluster, token);
        List<MemberRestore.Target> targets = targets(restored);
        targets.forEach(t -> MemberRestore.requireEmpty(t.dataDir()));
        if (bumpRevision < 0) {
            throw Failure.USAGE.because("--bump-revision must not be negative");
        }
        if (markCompacted && bumpRevision == 0 && !kubernetes) {
            throw Failure.USAGE.because("--mark-compacted needs --bump-revision K (or --kubernetes)");
        }

        RegionCatalog catalog = store.catalog();
        CatalogEntry entry = catalog.choose(cluster, snapshot);
        long bump = bumpRevision;
        boolean compacted = markCompacted || kubernetes;
        if (kubernetes && bump == 0) {
            long newest = catalog.complete(cluster).stream().mapToLong(e -> e.manifest().revision()).max().orElse(0);
            bump = Math.max(0, newest - entry.manifest().revision()) + KUBERNETES_MARGIN;
            out.printf("--kubernetes: bumping the revision by %d (newest revision recorded by any manifest of %s: %d, "
                    + "this snapshot's: %d, margin %d) and marking it compacted%n", bump, cluster, newest,
                    entry.manifest().revision(), KUBERNETES_MARGIN);
        }

        Path work = nearestExistingDirectory(targets.get(0).dataDir().toAbsolutePath().getParent());
        Progress progress = Progress.onTerminal(System.err);
        Optional<RevisionBump.BumpResult> bumped;
        try (Scratch scratch = new Scratch()) {
            SnapshotDownload.Checked file = CheckedSnapshot.download(catalog, entry, work, scratch, progress);
            SnapshotStatus status;
            try {
                status = SnapshotInspector.status(file.file());
            } catch (CorruptSnapshotException e) {
                throw CheckedSnapshot.failure(e);
            }
            out.printf("snapshot %s/%s from region %s: sha256, trailer and structure checked; revision %d, %d keys, "
                    + "%d bytes%n", cluster, entry.snapshotId(), catalog.region(), status.revision(), status.totalKeys(),
                    status.totalSize());
            Path db = file.file();
            try (FileChannel f = FileChannel.open(db, StandardOpenOption.WRITE)) {
                f.truncate(file.size() - 32);
            }
            bumped = PreparedDatabase.prepare(db, restored.members().size(), bump, compacted);
            MemberRestore.write(db, restored, targets, work, scratch, progress);
        }
        for (MemberRestore.Target t : targets) {
            out.printf("restored member %s (id %s, cluster %016x) into %s%n", t.member().name(), t.member().hexId(),
                    restored.clusterId(), t.dataDir());
        }
        bumped.ifPresent(b -> out.printf("revision bumped from %d to %d%s: the next write gets %d%n",
                b.previousRevision(), b.newRevision(), compacted ? ", every older revision compacted" : "",
                b.newRevision() + 1));
        out.println("start each member with its --name and --data-dir and the same --initial-cluster and "
                + "--initial-cluster-token");
        return 0;
    }

    private List<MemberRestore.Target> targets(RestoredCluster restored) {
        List<MemberRestore.Target> targets = new ArrayList<>();
        boolean everyMember = dataDir != null && dataDir.contains(NAME_PLACEHOLDER);
        List<RestoredCluster.Member> members = everyMember && name == null ? restored.members()
                : List.of(restored.member(name == null ? "default" : name));
        for (RestoredCluster.Member m : members) {
            if (!SAFE_NAME.matcher(m.name()).matches()) {
                throw Failure.USAGE.because("member name '" + m.name() + "' cannot become part of a directory name "
                        + "(letters, digits, '.', '_', '-')");
            }
            Path dir = Path.of(dataDir == null ? m.name() + ".etcd" : dataDir.replace(NAME_PLACEHOLDER, m.name()));
            targets.add(new MemberRestore.Target(m, dir));
        }
        if (advertisePeerUrls != null) {
            if (members.size() != 1) {
                throw Failure.USAGE.because("--initial-advertise-peer-urls names one member's URLs; with {name} every "
                        + "member's come from --initial-cluster");
            }
            TreeSet<String> given = new TreeSet<>(List.of(advertisePeerUrls.split(",")));
            given = new TreeSet<>(given.stream().map(String::trim).toList());
            if (!List.copyOf(given).equals(members.get(0).peerUrls())) {
                throw Failure.USAGE.because("--initial-advertise-peer-urls " + advertisePeerUrls + " does not match "
                        + members.get(0).name() + "'s entry in --initial-cluster " + members.get(0).peerUrls());
            }
        }
        if (targets.stream().map(t -> t.dataDir().toAbsolutePath().normalize()).distinct().count() != targets.size()) {
            throw Failure.USAGE.because("two members would share a data dir: put {name} in --data-dir");
        }
        return targets;
    }

    private static Path nearestExistingDirectory(Path dir) {
        Path p = dir;
        while (p != null && !Files.isDirectory(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw Failure.RESTORE_FAILED.because("no existing directory above " + dir);
        }
        return p;
    }
}
