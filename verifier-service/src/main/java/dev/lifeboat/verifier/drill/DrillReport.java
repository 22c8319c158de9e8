package dev.lifeboat.verifier.drill;

import java.util.List;

import dev.lifeboat.events.SnapshotVerified;

/**
 * What a successful drill measured.
 *
 * @param restoreMillis   {@code etcdctl snapshot restore}
 * @param startMillis     from launching the scratch etcd to its first successful read
 * @param readBackMillis  the revision, key count and sample reads
 * @param revision        revision the scratch etcd served
 * @param liveKeys        live keys the scratch etcd served
 * @param sampledKeys     sample keys read back with equal values
 * @param absentKeys      required keys the restored etcd does not hold
 */
public record DrillReport(long restoreMillis, long startMillis, long readBackMillis, long revision, long liveKeys,
                          int sampledKeys, List<String> absentKeys) {

    /** From a restored file to a serving etcd. */
    public long firstReadMillis() {
        return restoreMillis + startMillis;
    }

    /**
     * The event's form. The recovery time objective measured here is what a real recovery takes:
     * fetching the snapshot from the store, restoring it and starting etcd until it serves.
     */
    public SnapshotVerified.RestoreDrill toEvent(long downloadMillis) {
        return new SnapshotVerified.RestoreDrill(restoreMillis, startMillis, firstReadMillis(),
                downloadMillis + firstReadMillis(), revision, liveKeys, sampledKeys);
    }
}
