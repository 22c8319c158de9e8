package dev.lifeboat.verifier.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.lifeboat.common.etcd.EtcdLaunch;
import dev.lifeboat.common.etcd.EtcdProcess;
import dev.lifeboat.common.etcd.EtcdStartException;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.inspect.KeyValueSample;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.maintenance.HashKVResponse;
import io.etcd.jetcd.options.GetOption;

/**
 * Proves a snapshot restorable the way an operator would restore it: {@code etcdctl snapshot
 * restore} into a fresh directory, a scratch {@code etcd} on free loopback ports, then reads
 * through the etcd API. The scratch etcd must serve the revision and live key count computed
 * from the file, and the sample keys with the same values. Whatever happens, the scratch
 * process and its directory are gone when {@link #run} returns.
 */
public final class RestoreDrill {
    private static final String MEMBER = "lifeboat-drill";
    private static final ByteSequence ALL_KEYS = ByteSequence.from(new byte[] {0});
    /** A restored etcd may hold far more than the default 2 GB quota allows for new writes. */
    private static final long QUOTA_BYTES = 8L * 1024 * 1024 * 1024;

    private final DrillSettings settings;
    private final LiveDrills live;
    private final Semaphore permits;

    public RestoreDrill(DrillSettings settings, LiveDrills live) {
        this.settings = settings;
        this.live = live;
        this.permits = new Semaphore(settings.maxConcurrent(), true);
    }

    /**
     * Runs the drill once a slot is free; the time waiting for a slot does not count toward the
     * timeout.
     */
    public DrillReport run(Path snapshotFile, DrillExpectation expected) throws DrillFailedException, InterruptedException {
        permits.acquire();
        try {
            if (live.stopped()) {
                throw new InterruptedException("the service is stopping");
            }
            return runNow(snapshotFile, expected);
        } catch (DrillFailedException e) {
            if (live.stopped()) {
                // the service killed the scratch etcd: the snapshot is not at fault
                throw new InterruptedException("drill cut short by the service stopping");
            }
            throw e;
        } finally {
            permits.release();
        }
    }

    private DrillReport runNow(Path snapshotFile, DrillExpectation expected) throws DrillFailedException, InterruptedException {
        long began = System.nanoTime();
        long deadline = began + settings.timeout().toNanos();
        DrillWorkspace workspace = DrillWorkspace.create(settings.workDir());
        live.add(workspace);
        try {
            Path dataDir = workspace.dir().resolve("data");
            long[] restored = new long[1];
            // the restore writes the member's peer URL into the data, so a start that lost its
            // ports to another process restores again for the new ones (never a verdict on the snapshot)
            EtcdProcess etcd = startEtcd(workspace, dataDir, deadline, ports -> {
                DrillWorkspace.deleteTree(dataDir);
                restore(workspace, snapshotFile, dataDir, ports.peerUrl(), deadline);
                restored[0] = System.nanoTime();
            });
            String clientUrl = etcd.clientUrl();
            try (Client client = Client.builder().endpoints(clientUrl)
                    .connectTimeout(Duration.ofSeconds(1))
                    .retryDelay(50).retryMaxDelay(250).retryMaxDuration(Duration.ofSeconds(2))
                    .build()) {
                GetResponse first = awaitFirstRead(client, etcd, deadline);
                long serving = System.nanoTime();
                compareStatus(first, expected);
                int sampled = compareSample(client, expected.sample(), deadline);
                compareKvHash(client, clientUrl, expected.kvHash(), deadline);
                List<String> absent = absentKeys(client, expected.requiredKeys(), deadline);
                long done = System.nanoTime();
                return new DrillReport(millis(restored[0] - began), millis(serving - restored[0]), millis(done - serving),
                        first.getHeader().getRevision(), first.getCount(), sampled, absent);
            }
        } finally {
            workspace.close();
            live.remove(workspace);
        }
    }

    private EtcdProcess startEtcd(DrillWorkspace workspace, Path dataDir, long deadline,
                                  EtcdProcess.Preparation<DrillFailedException> restore)
            throws DrillFailedException, InterruptedException {
        if (remainingNanos(deadline) == 0) {
            throw timeout("before the scratch etcd started");
        }
        EtcdLaunch launch = EtcdLaunch.plain(settings.etcdBinary(), MEMBER, dataDir, workspace.dir(), QUOTA_BYTES)
                .withReadyTimeout(Duration.ofNanos(remainingNanos(deadline)));
        try {
            return workspace.startEtcd(launch, restore);
        } catch (EtcdStartException e) {
            throw switch (e.kind()) {
                case NOT_READY -> timeout("before the scratch etcd served (" + e.getMessage() + ")");
                case PORTS_TAKEN -> new DrillFailedException(FailureReason.INTERNAL, "no restore verdict: " + e.getMessage(), e);
                case EXITED -> new DrillFailedException(FailureReason.RESTORE_FAILED, "scratch " + e.getMessage(), e);
                case CANNOT_START -> new DrillFailedException(FailureReason.RESTORE_FAILED, e.getMessage(), e);
            };
        }
    }

    private void restore(DrillWorkspace workspace, Path snapshotFile, Path dataDir, String peerUrl, long deadline)
            throws DrillFailedException, InterruptedException {
        Process restore = start(workspace, List.of(settings.etcdctlBinary(), "snapshot", "restore",
                snapshotFile.toAbsolutePath().toString(),
                "--data-dir", dataDir.toString(),
                "--name", MEMBER,
                "--initial-cluster", MEMBER + "=" + peerUrl,
                "--initial-advertise-peer-urls", peerUrl), "restore.log");
        if (!restore.waitFor(remainingNanos(deadline), TimeUnit.NANOSECONDS)) {
            throw timeout("during etcdctl snapshot restore");
        }
        if (restore.exitValue() != 0) {
            throw new DrillFailedException(FailureReason.RESTORE_FAILED, "etcdctl snapshot restore exited "
                    + restore.exitValue() + ": " + workspace.logTail("restore.log"));
        }
    }

    private GetResponse awaitFirstRead(Client client, EtcdProcess etcd, long deadline)
            throws DrillFailedException, InterruptedException {
        GetOption countAll = GetOption.builder().withRange(ALL_KEYS).withCountOnly(true).build();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!etcd.isAlive()) {
                throw new DrillFailedException(FailureReason.RESTORE_FAILED, "scratch etcd exited before serving: "
                        + etcd.logTail(5));
            }
            try {
                return client.getKVClient().get(ALL_KEYS, countAll)
                        .get(Math.min(remainingNanos(deadline), TimeUnit.SECONDS.toNanos(2)), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            }
            // not serving yet: etcd elects itself leader about a second after start
            Thread.sleep(50);
        }
        throw timeout("before the scratch etcd served a read (last error: "
                + (last == null ? "none" : last.getClass().getSimpleName()) + ")");
    }

    private static void compareStatus(GetResponse served, DrillExpectation expected) throws DrillFailedException {
        long revision = served.getHeader().getRevision();
        if (revision != expected.revision()) {
            throw new DrillFailedException(FailureReason.RESTORE_FAILED, "restored etcd serves revision " + revision
                    + " but the snapshot's status says " + expected.revision());
        }
        if (served.getCount() != expected.liveKeys()) {
            throw new DrillFailedException(FailureReason.RESTORE_FAILED, "restored etcd serves " + served.getCount()
                    + " live keys but the snapshot holds " + expected.liveKeys());
        }
    }

    private int compareSample(Client client, List<KeyValueSample> sample, long deadline)
            throws DrillFailedException, InterruptedException {
        for (KeyValueSample s : sample) {
            List<KeyValue> kvs;
            try {
                kvs = client.getKVClient().get(ByteSequence.from(s.key()))
                        .get(remainingNanos(deadline), TimeUnit.NANOSECONDS).getKvs();
            } catch (TimeoutException e) {
                throw timeout("while reading the sample keys back");
            } catch (ExecutionException e) {
                throw new DrillFailedException(FailureReason.RESTORE_FAILED,
                        "restored etcd failed to read key " + printable(s.key()) + ": " + e.getCause(), e);
            }
            if (kvs.isEmpty()) {
                throw new DrillFailedException(FailureReason.RESTORE_FAILED,
                        "restored etcd lacks key " + printable(s.key()));
            }
            KeyValue kv = kvs.get(0);
            // values are never printed: they may be secrets
            if (!Arrays.equals(kv.getValue().getBytes(), s.value())) {
                throw new DrillFailedException(FailureReason.RESTORE_FAILED,
                        "restored etcd serves a different value for key " + printable(s.key()));
            }
            if (kv.getModRevision() != s.modRevision()) {
                throw new DrillFailedException(FailureReason.RESTORE_FAILED, "restored etcd says key "
                        + printable(s.key()) + " was modified at " + kv.getModRevision() + ", the snapshot says "
                        + s.modRevision());
            }
        }
        return sample.size();
    }

    /**
     * The restored etcd's own HashKV at the snapshot revision must equal the one the source
     * cluster computed when the snapshot was taken. This catches a snapshot that is consistent in
     * itself (trailer, structure, status) but holds other data than the cluster did. Compared only
     * when both were computed from the same compaction revision; otherwise they cannot agree.
     */
    private void compareKvHash(Client client, String endpoint, SnapshotManifest.KvHash source, long deadline)
            throws DrillFailedException, InterruptedException {
        if (source == null) {
            return;
        }
        HashKVResponse restored;
        try {
            restored = client.getMaintenanceClient().hashKV(endpoint, source.revision())
                    .get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timeout("while computing the restored etcd's KV hash");
        } catch (ExecutionException e) {
            if (String.valueOf(e.getCause().getMessage()).contains("compacted")) {
                return; // compacted past the snapshot revision: nothing to compare
            }
            throw new DrillFailedException(FailureReason.RESTORE_FAILED, "restored etcd cannot compute its KV hash at "
                    + "revision " + source.revision() + ": " + e.getCause().getMessage(), e);
        }
        if (restored.getCompacted() != source.compactRevision()) {
            return;
        }
        long hash = Integer.toUnsignedLong(restored.getHash());
        if (hash != source.hash()) {
            throw new DrillFailedException(FailureReason.RESTORE_FAILED, "restored etcd's KV hash at revision "
                    + source.revision() + " is " + hash + " but the cluster's was " + source.hash()
                    + " when the snapshot was taken: the snapshot holds other data than etcd did");
        }
    }

    private List<String> absentKeys(Client client, List<String> keys, long deadline)
            throws DrillFailedException, InterruptedException {
        List<String> absent = new ArrayList<>();
        GetOption countOnly = GetOption.builder().withCountOnly(true).build();
        for (String key : keys) {
            try {
                if (client.getKVClient().get(ByteSequence.from(key, StandardCharsets.UTF_8), countOnly)
                        .get(remainingNanos(deadline), TimeUnit.NANOSECONDS).getCount() == 0) {
                    absent.add(key);
                }
            } catch (TimeoutException e) {
                throw timeout("while looking up the required keys");
            } catch (ExecutionException e) {
                throw new DrillFailedException(FailureReason.RESTORE_FAILED,
                        "restored etcd failed to read key " + key + ": " + e.getCause(), e);
            }
        }
        return absent;
    }

    private static Process start(DrillWorkspace workspace, List<String> command, String log) throws DrillFailedException {
        try {
            return workspace.start(command, log);
        } catch (IOException e) {
            throw new DrillFailedException(FailureReason.RESTORE_FAILED,
                    "cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    private DrillFailedException timeout(String when) {
        return new DrillFailedException(FailureReason.RESTORE_TIMEOUT,
                "restore drill exceeded its limit of " + settings.timeout() + " " + when);
    }

    private static long remainingNanos(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    static String printable(byte[] key) {
        String s = new String(key, StandardCharsets.UTF_8);
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
