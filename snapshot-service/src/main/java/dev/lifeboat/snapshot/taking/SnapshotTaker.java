package dev.lifeboat.snapshot.taking;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import dev.lifeboat.common.io.BoundedPipe;
import dev.lifeboat.common.snapshotfile.EtcdSnapshotFile;
import dev.lifeboat.common.snapshotfile.TrailerDigest;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.snapshot.etcd.ClusterProbe;
import dev.lifeboat.snapshot.etcd.EtcdClients;
import dev.lifeboat.snapshot.etcd.EtcdFailure;
import dev.lifeboat.snapshot.etcd.MemberStatus;
import dev.lifeboat.store.EncodingOutputStream;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotEncoding;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.StoreException;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.HashKVResponse;

/**
 * Takes one snapshot: probe the members, choose the leader, stream its snapshot straight into the
 * object store while hashing it (through the {@link SnapshotEncoding}, the one place the stored
 * form is chosen), check etcd's trailer and size rule, then write the manifest last. Whatever fails, no manifest is written, so nothing half-done is visible to any catalog.
 */
public final class SnapshotTaker {
    private static final Logger LOG = Logger.getLogger(SnapshotTaker.class);
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "snapshot-timeouts");
        t.setDaemon(true);
        return t;
    });

    private static final Duration LEADER_POLL = Duration.ofSeconds(1);

    private final ObjectStore store;
    private final ClusterProbe probe;
    private final SnapshotLimits limits;
    private final int bufferKib;
    private final String producedBy;
    private final SnapshotEncoding encoding;

    public SnapshotTaker(ObjectStore store, ClusterProbe probe, SnapshotLimits limits, int bufferKib, String producedBy) {
        this(store, probe, limits, bufferKib, producedBy, SnapshotEncoding.IDENTITY);
    }

    /** @param encoding what turns etcd's file into the stored object (only identity exists yet) */
    public SnapshotTaker(ObjectStore store, ClusterProbe probe, SnapshotLimits limits, int bufferKib,
                         String producedBy, SnapshotEncoding encoding) {
        this.probe = probe;
        this.encoding = encoding;
        this.store = store;
        this.limits = limits;
        this.bufferKib = bufferKib;
        this.producedBy = producedBy;
    }

    /** Progress of a running snapshot, for metrics and for tests that interrupt one. */
    public interface Progress {
        void streaming(BoundedPipe pipe);
    }

    public SnapshotManifest take(String clusterId, String snapshotId, ClusterSpec spec, String trigger, Progress progress) {
        // takenAt is when the attempt began, before any wait for an election: the earlier bound of the data's time
        Instant started = Instant.now();
        MemberStatus source = leader(clusterId, spec);
        try (Client client = probe.connect(source, spec.tls(), limits.memberTimeout())) {
            return take(clusterId, snapshotId, trigger, progress, started, source, client);
        }
    }

    /**
     * The leader to snapshot. A healthy cluster has none for a few seconds while it elects one
     * (its leader died, stepped down or was restarted): followers name the old leader until their
     * election timeout passes, then none until the vote ends. When the probe finds the cluster in
     * such a shape ({@link EtcdFailure#electionPending}), it is asked again every
     * {@link #LEADER_POLL}, new probes starting for up to {@code leaderWait} after that first
     * answer, instead of failing NO_LEADER at once. So the wait ends within {@code leaderWait} plus
     * one probe; a cluster still without a usable leader then fails with what the last probe saw.
     * Other NO_LEADER shapes (a leader that is not registered, a deposed one) fail at once.
     */
    private MemberStatus leader(String clusterId, ClusterSpec spec) {
        long giveUpAt = 0;
        while (true) {
            try {
                MemberStatus leader = probe.probe(spec, limits.memberTimeout()).chooseSource();
                if (giveUpAt != 0) {
                    LOG.infof("cluster %s: member %s (%s) leads now", clusterId, leader.memberIdHex(), leader.endpoint());
                }
                return leader;
            } catch (EtcdFailure e) {
                if (e.reason() != FailureReason.NO_LEADER || !e.retriable()) {
                    throw e;
                }
                if (giveUpAt == 0) {
                    giveUpAt = System.nanoTime() + limits.leaderWait().toNanos();
                    LOG.infof("cluster %s: %s; waiting up to %d s for an election", clusterId, e.getMessage(),
                            limits.leaderWait().toSeconds());
                }
                if (System.nanoTime() + LEADER_POLL.toNanos() > giveUpAt) {
                    throw e;
                }
                try {
                    Thread.sleep(LEADER_POLL.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private SnapshotManifest take(String clusterId, String snapshotId, String trigger,
                                  Progress progress, Instant started, MemberStatus source, Client client) {
        String key = SnapshotLayout.objectKey(clusterId, snapshotId, encoding);
        // etcd sends 32 KiB blocks, so this many chunks hold bufferKib of data
        BoundedPipe pipe = new BoundedPipe(Math.max(2, bufferKib / 32));
        EncodingOutputStream stored = new EncodingOutputStream(encoding, pipe.output());
        TrailerDigest digest = new TrailerDigest(stored);
        progress.streaming(pipe);
        streamToStore(client, source, key, pipe, stored, digest);
        try {
            if (!digest.sizeRuleHolds()) {
                throw new SnapshotFailedException(FailureReason.TRUNCATED, EtcdSnapshotFile.sizeRuleBroken(digest.size()));
            }
            if (!digest.trailerMatches()) {
                throw new SnapshotFailedException(FailureReason.HASH_MISMATCH,
                        "the snapshot's 32-byte sha256 trailer does not match its content");
            }
            SnapshotManifest.KvHash kvHash = kvHash(client, source, clusterId);
            SnapshotManifest manifest = SnapshotManifest.builder(clusterId, snapshotId)
                    .takenAt(started)
                    .revision(source.revision())
                    .memberId(source.memberIdHex())
                    .memberEndpoint(source.endpoint())
                    .etcdVersion(source.version())
                    .raw(digest.size(), digest.sha256Hex())
                    .stored(encoding, stored.storedSize(), stored.storedSha256Hex())
                    .trigger(trigger)
                    .producedBy(producedBy)
                    .duration(Duration.between(started, Instant.now()))
                    .kvHash(kvHash)
                    .build();
            writeManifest(manifest, key);
            return manifest;
        } catch (SnapshotFailedException e) {
            if (!e.manifestMayExist()) {
                deleteQuietly(key);
            }
            throw e;
        } catch (RuntimeException e) {
            deleteQuietly(key);
            throw e;
        }
    }

    /**
     * Writes the manifest last (the store retries the PUT itself). If it still fails, the PUT may
     * have been stored although its answer was lost; the manifest is then removed and checked
     * absent before the object may go, so no catalog ever shows a manifest beside a deleted
     * object. When its absence cannot be confirmed, the object stays (a complete snapshot, or a
     * leftover retention removes).
     */
    private void writeManifest(SnapshotManifest manifest, String objectKey) {
        String manifestKey = SnapshotLayout.manifestKey(manifest.clusterId(), manifest.snapshotId());
        try {
            store.putJson(manifestKey, manifest);
        } catch (StoreException e) {
            boolean absent;
            try {
                store.delete(manifestKey);
                absent = store.stat(manifestKey).isEmpty();
            } catch (StoreException stillFailing) {
                e.addSuppressed(stillFailing);
                absent = false;
            }
            if (!absent) {
                LOG.warnf("cluster %s: manifest of %s may be stored although its write failed; keeping %s",
                        manifest.clusterId(), manifest.snapshotId(), objectKey);
            }
            throw new SnapshotFailedException(FailureReason.STORE_UNAVAILABLE,
                    "could not write the manifest: " + e.getMessage(), e, !absent);
        }
    }

    /**
     * etcd's HashKV at the snapshot's revision, for the restore drill to compare with the restored
     * etcd: it catches content that differs from what the cluster held even when the file is
     * self-consistent. Optional: a member that cannot compute it (e.g. the revision was compacted
     * meanwhile) costs the snapshot nothing but this extra check.
     */
    private SnapshotManifest.KvHash kvHash(Client client, MemberStatus source, String clusterId) {
        try {
            HashKVResponse r = client.getMaintenanceClient().hashKV(source.endpoint(), source.revision())
                    .get(limits.hashKvTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return new SnapshotManifest.KvHash(source.revision(), Integer.toUnsignedLong(r.getHash()), r.getCompacted());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("cluster %s: no KV hash at revision %d (%s); the drill will not compare it", clusterId,
                    source.revision(), e.getMessage());
            return null;
        }
    }

    /** Streams the member's snapshot into the store through the bounded pipe, hashing it on the way. */
    private void streamToStore(Client client, MemberStatus source, String key, BoundedPipe pipe,
                               EncodingOutputStream stored, TrailerDigest digest) {
        CompletableFuture<Long> streamed = client.getMaintenanceClient().snapshot(digest);
        streamed.whenComplete((bytes, error) -> {
            if (error != null) {
                pipe.fail(error);
                return;
            }
            try {
                stored.finish();
                pipe.finish();
            } catch (IOException | RuntimeException e) {
                pipe.fail(e);
            }
        });
        Duration timeout = limits.streamTimeout(source.dbSize());
        ScheduledFuture<?> deadline = TIMERS.schedule(
                () -> pipe.fail(new TimeoutException("snapshot not finished after " + timeout + " (limit for "
                        + source.dbSize() + " bytes)")),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (StallWatch stalls = new StallWatch(pipe, limits.stallTimeout(), TIMERS)) {
            store.put(key, pipe.input(), -1, "application/octet-stream");
        } catch (StoreException e) {
            // read before stopping the stream: cancelling it records a cancellation as its error
            Throwable streamError = pipe.writerError();
            pipe.abort();
            streamed.cancel(true);
            deleteQuietly(key);
            throw uploadFailure(source, pipe.bytesWritten(), streamError, e);
        } finally {
            deadline.cancel(false);
        }
    }

    private SnapshotFailedException uploadFailure(MemberStatus source, long bytesStreamed, Throwable streamError,
                                                  StoreException e) {
        if (streamError instanceof StreamStalledException) {
            return new SnapshotFailedException(FailureReason.SNAPSHOT_STALLED, "snapshot stream from "
                    + source.endpoint() + " stalled: " + streamError.getMessage(), e);
        }
        if (streamError instanceof TimeoutException) {
            return new SnapshotFailedException(FailureReason.TIMEOUT, streamError.getMessage(), e);
        }
        if (streamError != null && EtcdClients.isKeepAliveFailure(streamError)) {
            // the member (or the network to it) went silent: the same fault as a stall, noticed by gRPC first
            return new SnapshotFailedException(FailureReason.SNAPSHOT_STALLED, "snapshot stream from "
                    + source.endpoint() + " stalled after " + bytesStreamed + " bytes: the member stopped answering"
                    + " gRPC keep-alive pings (" + rootMessage(streamError) + ")", streamError);
        }
        if (streamError != null) {
            return new SnapshotFailedException(FailureReason.SNAPSHOT_STREAM_FAILED, "snapshot stream from "
                    + source.endpoint() + " broke after " + bytesStreamed + " bytes: "
                    + rootMessage(streamError), streamError);
        }
        return new SnapshotFailedException(FailureReason.STORE_UNAVAILABLE, e.getMessage(), e);
    }

    private void deleteQuietly(String key) {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            LOG.debugf("could not remove %s now; retention removes leftovers later: %s", key, e.getMessage());
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
