package dev.lifeboat.verifier.claim;

import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

import org.jboss.logging.Logger;

import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.VersionedObject;

/**
 * A held claim on one snapshot's verification, renewed in the background (a conditional replace
 * of the version last written) until closed. Closing removes the claim object if it is still
 * this replica's; if the store is down then, the claim simply expires.
 */
public final class Claim implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Claim.class);
    private static final String JSON = "application/json";

    private final ObjectStore store;
    private final String key;
    private final String clusterId;
    private final String snapshotId;
    private final String owner;
    private volatile String etag;
    private volatile boolean lost;
    private volatile ScheduledFuture<?> renewal;

    Claim(ObjectStore store, String key, String clusterId, String snapshotId, String etag, String owner) {
        this.store = store;
        this.key = key;
        this.clusterId = clusterId;
        this.snapshotId = snapshotId;
        this.etag = etag;
        this.owner = owner;
    }

    void renewing(ScheduledFuture<?> future) {
        this.renewal = future;
    }

    synchronized void renew(byte[] document) {
        if (lost) {
            return;
        }
        try {
            Optional<String> next = store.replaceIfUnchanged(key, etag, document, JSON);
            if (next.isPresent()) {
                etag = next.get();
                return;
            }
            Optional<VersionedObject> current = store.getVersioned(key);
            if (current.isPresent() && VerificationClaims.parse(current.get()).map(c -> owner.equals(c.owner()))
                    .orElse(false)) {
                etag = current.get().etag(); // our own renewal, its answer lost
                return;
            }
            lost = true;
            LOG.warnf("the claim on %s/%s was taken over while this replica still verifies it", clusterId, snapshotId);
        } catch (StoreException e) {
            LOG.warnf("claim on %s/%s not renewed: %s", clusterId, snapshotId, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (renewal != null) {
            renewal.cancel(false);
        }
        if (lost) {
            return;
        }
        try {
            Optional<VersionedObject> current = store.getVersioned(key);
            if (current.isPresent() && VerificationClaims.parse(current.get()).map(c -> owner.equals(c.owner()))
                    .orElse(false)) {
                store.delete(key);
            }
        } catch (StoreException e) {
            LOG.debugf("claim on %s/%s not removed, it expires: %s", clusterId, snapshotId, e.getMessage());
        }
    }
}
