package dev.lifeboat.verifier.claim;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.lifeboat.events.EventJson;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.VersionedObject;

/**
 * Durable per-snapshot claims in the snapshot's own store, so that of several verifier replicas
 * only one downloads and drills a snapshot, whichever of them the record is delivered to after a
 * rebalance or a crash. A claim is {@code verification-claim.json} with its owner and expiry,
 * created with a conditional PUT ({@code If-None-Match: *}) and renewed or taken over with
 * {@code If-Match} on the version read, so of two replicas racing for it exactly one wins. The
 * owner renews it every third of the time to live while it works and removes it once the verdict
 * is recorded; a claim whose owner died expires and can then be taken by anyone.
 *
 * <p>What remains: an owner that cannot renew for longer than the time to live (a store outage
 * only it sees, a stalled JVM) loses the claim while it may still be drilling; the verdict is
 * then still recorded once, with a conditional create, so the second one to finish publishes the
 * first one's verdict. A store that ignores the conditional headers degrades this to last writer
 * wins; every claim is read back, so only an overlap within one store round trip can then drill
 * twice.
 */
public final class VerificationClaims implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VerificationClaims.class);
    private static final String JSON = "application/json";

    private final String owner;
    private final Duration ttl;
    private final Clock clock;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "verification-claims");
        t.setDaemon(true);
        return t;
    });

    public VerificationClaims(String owner, Duration ttl, Clock clock) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a claim needs a positive time to live, got " + ttl);
        }
        this.owner = owner;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** This host's name and a random suffix: unique per process, readable in a claim. */
    public static String defaultOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "verifier";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String owner() {
        return owner;
    }

    /**
     * Takes the snapshot's claim for this replica, or returns empty when another replica holds a
     * live one. Throws {@link dev.lifeboat.store.StoreException} when the store cannot be reached.
     */
    public Optional<Claim> tryClaim(ObjectStore store, String clusterId, String snapshotId) {
        String key = SnapshotLayout.verificationClaimKey(clusterId, snapshotId);
        Instant now = clock.instant();
        byte[] mine = document(now, now);
        Optional<String> etag = store.putIfAbsent(key, mine, JSON);
        if (etag.isEmpty()) {
            Optional<VersionedObject> current = store.getVersioned(key);
            if (current.isEmpty()) {
                // removed between the two calls: its owner finished; one more try
                etag = store.putIfAbsent(key, mine, JSON);
            } else {
                Optional<ClaimDocument> held = parse(current.get());
                if (held.isPresent() && owner.equals(held.get().owner())) {
                    // ours: a leftover of this replica, or a retried write whose first answer was lost
                    etag = store.replaceIfUnchanged(key, current.get().etag(), mine, JSON);
                } else if (held.isPresent() && held.get().liveAt(now)) {
                    return Optional.empty();
                } else {
                    // expired (its owner died) or unreadable: taken over, unless someone else was quicker
                    etag = store.replaceIfUnchanged(key, current.get().etag(), mine, JSON);
                    if (etag.isPresent() && held.isPresent()) {
                        LOG.infof("took over the expired claim of %s on %s/%s", held.get().owner(), clusterId, snapshotId);
                    }
                }
            }
        }
        if (etag.isEmpty()) {
            // lost the race, or a retried write whose answer was lost: the stored owner tells
            Optional<VersionedObject> current = store.getVersioned(key);
            if (current.isEmpty() || !parse(current.get()).map(c -> owner.equals(c.owner())).orElse(false)) {
                return Optional.empty();
            }
            etag = Optional.of(current.get().etag());
        }
        Claim claim = new Claim(store, key, clusterId, snapshotId, etag.get(), owner);
        long every = Math.max(1, ttl.toMillis() / 3);
        claim.renewing(renewals.scheduleWithFixedDelay(() -> claim.renew(document(now, clock.instant())),
                every, every, TimeUnit.MILLISECONDS));
        return Optional.of(claim);
    }

    /** Who holds a live claim on the snapshot, if anyone. */
    public Optional<ClaimDocument> liveHolder(ObjectStore store, String clusterId, String snapshotId) {
        Instant now = clock.instant();
        return store.getVersioned(SnapshotLayout.verificationClaimKey(clusterId, snapshotId))
                .flatMap(VerificationClaims::parse).filter(c -> c.liveAt(now));
    }

    private byte[] document(Instant claimedAt, Instant now) {
        return ObjectStore.jsonBytes(new ClaimDocument(owner, claimedAt, now.plus(ttl)));
    }

    static Optional<ClaimDocument> parse(VersionedObject object) {
        try {
            return Optional.of(EventJson.mapper().readValue(object.bytes(), ClaimDocument.class));
        } catch (IOException e) {
            // a torn or foreign document claims nothing
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        renewals.shutdownNow();
    }
}
