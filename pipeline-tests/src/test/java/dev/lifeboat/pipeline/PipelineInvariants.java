package dev.lifeboat.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.SnapshotPruned;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.events.Stage;
import dev.lifeboat.store.MalformedDocumentException;
import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.store.StoredObject;
import dev.lifeboat.testing.TopicRecorder;

/**
 * The one judge of the pipeline after a fault: reads every region's store (through the project's
 * {@link ObjectStore}) and the event topics (through a {@link TopicRecorder} reading them from
 * their beginning) and returns every broken invariant as one readable line:
 * <ol>
 *   <li>every complete snapshot (a readable manifest in the primary) has a verdict, stored and
 *       published, and every passed one is in each region it is replicated to;</li>
 *   <li>no region holds a manifest beside a missing object or one of another size or sha256;</li>
 *   <li>the newest verified snapshot of a cluster was never deleted: it is in every region that
 *       had it, and every pruned snapshot had a newer verified one in that region when it went;</li>
 *   <li>every failure is an event with a reason: each failure event is complete, each failed
 *       verdict in a store was published, each accepted snapshot request ended in a complete
 *       snapshot or a failure event naming it;</li>
 *   <li>no snapshot has contradicting verdicts (passed and failed, or two different passes);</li>
 *   <li>no failure for a healthy cluster, except those an injected fault explains
 *       ({@link #excuse});</li>
 *   <li>restarts lose nothing: every fire of a cluster on a one-minute schedule has its snapshot
 *       (on time or late) or a failure event naming it; fires missed while no replica ran count as
 *       taken when the catch-up took the latest of them late (the product takes that one only).</li>
 * </ol>
 * The checker knows only what the test tells it: the clusters, which are healthy, the requests it
 * made, the manifests it damaged on purpose, the failures its faults explain.
 */
final class PipelineInvariants {
    /** Verdict reasons about the snapshot itself (not about the verifier's circumstances). */
    private static final Set<FailureReason> VERDICT_REASONS = Set.of(FailureReason.HASH_MISMATCH,
            FailureReason.TRUNCATED, FailureReason.CORRUPT_DB, FailureReason.CONTENT_EXPECTATION,
            FailureReason.RESTORE_FAILED, FailureReason.RESTORE_TIMEOUT);

    private record Excuse(String why, Predicate<BackupFailed> matches) {}

    private record Request(String clusterId, String snapshotId) {}

    private final String primary;
    private final Map<String, ObjectStore> regions;
    private final TopicRecorder topics;
    private final Set<String> clusters = new TreeSet<>();
    private final Set<String> healthy = new TreeSet<>();
    private final Map<String, List<String>> replicateTo = new TreeMap<>();
    private final List<Excuse> excuses = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Set<String> damaged = new TreeSet<>();
    private final Map<String, Instant> everyMinute = new TreeMap<>();
    /** sha256 of the objects read so far, by region, key, size and modification time. */
    private final Map<String, String> hashes = new ConcurrentHashMap<>();
    /** Violations an earlier fault failed on. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** How long after its fire time a scheduled snapshot must be announced (or its failure). */
    static final Duration FIRE_BOUND = Duration.ofSeconds(90);
    /** A scheduled snapshot taken this long after its fire time was taken late (a catch-up). */
    private static final Duration LATE = Duration.ofSeconds(15);

    /**
     * @param regions every region's store by name
     * @param topics  a recorder of the taken, verified, replicated, pruned and failure topics from their beginning
     */
    PipelineInvariants(String primary, Map<String, ObjectStore> regions, TopicRecorder topics) {
        this.primary = primary;
        this.regions = new LinkedHashMap<>(regions);
        this.topics = topics;
    }

    /** A cluster under test, replicated to {@code targets}; {@code isHealthy}: no failure is expected of it. */
    synchronized void cluster(String clusterId, boolean isHealthy, List<String> targets) {
        clusters.add(clusterId);
        if (isHealthy) {
            healthy.add(clusterId);
        }
        replicateTo.put(clusterId, List.copyOf(targets));
    }

    /** A failure an injected fault explains: not a false alarm, even for a healthy cluster. */
    void excuse(String why, Predicate<BackupFailed> matches) {
        excuses.add(new Excuse(why, matches));
    }

    /** An on-demand snapshot the API accepted (202): it must end complete or as a failure event. */
    void requested(String clusterId, String snapshotId) {
        requests.add(new Request(clusterId, snapshotId));
    }

    /** A manifest the test damaged on purpose (in every region): unreadable is expected of it. */
    synchronized void damaged(String clusterId, String snapshotId) {
        damaged.add(clusterId + "/" + snapshotId);
    }

    /** The damaged manifest was written back as it was. */
    synchronized void repaired(String clusterId, String snapshotId) {
        damaged.remove(clusterId + "/" + snapshotId);
    }

    /**
     * The cluster is on a one-minute schedule from {@code since}: every fire time after it (older
     * than {@link #FIRE_BOUND}) must have its snapshot, on time or late, or a failure event naming it.
     */
    synchronized void everyMinute(String clusterId, Instant since) {
        everyMinute.put(clusterId, since);
    }

    /**
     * Waits until no invariant is broken, at most {@code bound} (the time the pipeline has to
     * settle after a fault: verdicts, copies and pruning are asynchronous); fails with the broken
     * invariants as they were at the end. A line an earlier fault already failed on (a false
     * failure stays on the topic) is not held against this one again. Returns how long it took.
     */
    Duration awaitHolding(String fault, Duration bound) {
        long start = System.nanoTime();
        List<List<String>> last = new ArrayList<>(List.of(List.of()));
        try {
            Awaitility.await(fault).atMost(bound).pollInterval(Duration.ofSeconds(1)).until(() -> {
                List<String> found = violations().stream().filter(v -> !reported.contains(v)).toList();
                last.set(0, found);
                return found.isEmpty();
            });
        } catch (ConditionTimeoutException e) {
            reported.addAll(last.get(0));
            throw new AssertionError("after " + fault + ", within " + bound + ", these invariants still do not hold:\n  "
                    + String.join("\n  ", last.get(0)));
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Every broken invariant, one line each; empty when all hold. */
    List<String> violations() {
        topics.readToEnd();
        Events events = Events.of(topics.records());
        Map<String, RegionContent> content = new LinkedHashMap<>();
        regions.forEach((name, store) -> content.put(name, RegionContent.read(store, clusters)));
        List<String> found = new ArrayList<>();
        synchronized (this) {
            content.forEach((region, c) -> found.addAll(intactManifests(region, c)));
            found.addAll(verdicts(content.get(primary), events));
            found.addAll(replicated(content, events));
            found.addAll(newestVerifiedKept(content, events));
            found.addAll(failuresAreEvents(content.get(primary), events));
            found.addAll(noContradictions(content.get(primary), events));
            found.addAll(noFalseFailures(events));
            found.addAll(noFireLost(events));
        }
        return found;
    }

    // 2. no manifest beside a missing or different object
    private List<String> intactManifests(String region, RegionContent c) {
        List<String> found = new ArrayList<>();
        c.unreadable.forEach((snapshot, why) -> {
            if (!damaged.contains(snapshot)) {
                found.add("[intact] " + region + ": manifest of " + snapshot + " cannot be read: " + why);
            }
        });
        for (SnapshotManifest m : c.manifests.values()) {
            String key = SnapshotLayout.objectKey(m);
            String name = region + ": " + m.clusterId() + "/" + m.snapshotId();
            Optional<StoredObject> object = c.objects.containsKey(key) ? Optional.of(c.objects.get(key)) : Optional.empty();
            if (object.isEmpty()) {
                found.add("[intact] " + name + ": manifest beside a missing object " + m.objectName());
            } else if (object.get().size() != m.storedSizeBytes()) {
                found.add("[intact] " + name + ": object is " + object.get().size() + " bytes, manifest says "
                        + m.storedSizeBytes());
            } else {
                String sha = hashes.computeIfAbsent(region + " " + key + " " + object.get().size() + " "
                        + object.get().lastModified(), k -> sha256(regions.get(region), key));
                if (!sha.equals(m.storedSha256())) {
                    found.add("[intact] " + name + ": object sha256 " + sha + ", manifest says " + m.storedSha256());
                }
            }
        }
        // a damaged manifest is a problem of that snapshot: nothing of it goes until it is readable
        for (String snapshot : damaged) {
            boolean objectThere = c.objects.keySet().stream().anyMatch(k -> k.startsWith(SnapshotLayout.ROOT + snapshot + "/")
                    && SnapshotLayout.isSnapshotObject(k));
            if (c.unreadable.containsKey(snapshot) && !objectThere) {
                found.add("[intact] " + region + ": the object beside the damaged manifest of " + snapshot + " was deleted");
            }
        }
        return found;
    }

    // 1. every complete snapshot has a verdict, stored and published
    private List<String> verdicts(RegionContent p, Events events) {
        List<String> found = new ArrayList<>();
        for (SnapshotManifest m : p.manifests.values()) {
            String s = m.clusterId() + "/" + m.snapshotId();
            boolean passed = p.has(m, SnapshotLayout.VERIFICATION);
            boolean failed = p.has(m, SnapshotLayout.VERIFICATION_FAILED);
            if (!passed && !failed) {
                found.add("[verdict] " + s + " is complete in " + primary + " since " + m.takenAt() + " without a verdict");
            } else if (passed && events.verified(m.clusterId(), m.snapshotId()).isEmpty()) {
                found.add("[verdict] " + s + " has verification.json but no snapshot.verified event");
            }
        }
        return found;
    }

    // 1. (cont.) every passed snapshot still in the primary is in each region it is replicated to
    private List<String> replicated(Map<String, RegionContent> content, Events events) {
        List<String> found = new ArrayList<>();
        RegionContent p = content.get(primary);
        for (SnapshotManifest m : p.manifests.values()) {
            if (!p.has(m, SnapshotLayout.VERIFICATION)) {
                continue;
            }
            for (String target : replicateTo.getOrDefault(m.clusterId(), List.of())) {
                boolean announced = events.replicated.stream().anyMatch(r -> r.clusterId().equals(m.clusterId())
                        && r.snapshotId().equals(m.snapshotId()) && r.region().equals(target));
                boolean pruned = events.pruned(m.clusterId(), m.snapshotId(), target);
                if (!announced && !pruned) {
                    found.add("[replicated] " + m.clusterId() + "/" + m.snapshotId() + " is verified in " + primary
                            + " but not replicated to " + target);
                } else if (announced && !pruned && !content.get(target).manifests.containsKey(m.clusterId() + "/" + m.snapshotId())) {
                    found.add("[replicated] " + m.clusterId() + "/" + m.snapshotId() + " was announced replicated to "
                            + target + ", whose store has no manifest of it (and no pruned event)");
                }
            }
        }
        return found;
    }

    // 3. the newest verified snapshot was never deleted
    private List<String> newestVerifiedKept(Map<String, RegionContent> content, Events events) {
        List<String> found = new ArrayList<>();
        for (String cluster : clusters) {
            Optional<SnapshotVerified> newest = events.verified.stream().filter(v -> v.clusterId().equals(cluster))
                    .max((a, b) -> a.snapshotId().compareTo(b.snapshotId()));
            if (newest.isEmpty()) {
                continue;
            }
            String id = newest.get().snapshotId();
            List<String> holders = new ArrayList<>(List.of(primary));
            events.replicated.stream().filter(r -> r.clusterId().equals(cluster) && r.snapshotId().equals(id))
                    .forEach(r -> holders.add(r.region()));
            for (String region : holders) {
                if (!content.get(region).manifests.containsKey(cluster + "/" + id)) {
                    found.add("[newest-verified] " + cluster + "/" + id + ", the newest verified snapshot, is gone from " + region);
                }
            }
        }
        for (SnapshotPruned p : events.pruned) {
            boolean newerVerified = events.verified.stream().anyMatch(v -> v.clusterId().equals(p.clusterId())
                    && v.snapshotId().compareTo(p.snapshotId()) > 0 && !v.verifiedAt().isAfter(p.prunedAt())
                    && (p.region().equals(primary) || events.replicated.stream().anyMatch(r -> r.clusterId().equals(p.clusterId())
                    && r.snapshotId().equals(v.snapshotId()) && r.region().equals(p.region())
                    && !r.replicatedAt().isAfter(p.prunedAt()))));
            boolean wasVerified = events.verified.stream().anyMatch(v -> v.clusterId().equals(p.clusterId())
                    && v.snapshotId().equals(p.snapshotId()));
            if (wasVerified && !newerVerified) {
                found.add("[newest-verified] " + p.clusterId() + "/" + p.snapshotId() + " was pruned from " + p.region()
                        + " at " + p.prunedAt() + " while no newer verified snapshot was there");
            }
        }
        return found;
    }

    // 4. every failure is an event with a reason
    private List<String> failuresAreEvents(RegionContent p, Events events) {
        List<String> found = new ArrayList<>();
        for (BackupFailed f : events.failures) {
            if (f.reason() == null || f.stage() == null || f.severity() == null || blank(f.clusterId()) || blank(f.message())) {
                found.add("[failure-event] incomplete failure event: " + f);
            }
        }
        for (SnapshotManifest m : p.manifests.values()) {
            if (p.has(m, SnapshotLayout.VERIFICATION_FAILED) && events.failuresOf(m.clusterId(), m.snapshotId()).stream()
                    .noneMatch(f -> f.stage() == Stage.VERIFY || f.stage() == Stage.RESTORE_TEST)) {
                found.add("[failure-event] " + m.clusterId() + "/" + m.snapshotId()
                        + " has verification-failed.json but no failure event of the verifier");
            }
        }
        for (Request r : requests) {
            boolean complete = p.manifests.containsKey(r.clusterId() + "/" + r.snapshotId())
                    || events.taken.stream().anyMatch(t -> t.clusterId().equals(r.clusterId()) && t.snapshotId().equals(r.snapshotId()));
            if (!complete && events.failuresOf(r.clusterId(), r.snapshotId()).isEmpty()) {
                found.add("[failure-event] the accepted snapshot " + r.clusterId() + "/" + r.snapshotId()
                        + " is neither complete nor a failure event");
            }
        }
        return found;
    }

    // 5. no contradicting verdicts
    private List<String> noContradictions(RegionContent p, Events events) {
        List<String> found = new ArrayList<>();
        for (SnapshotManifest m : p.manifests.values()) {
            if (p.has(m, SnapshotLayout.VERIFICATION) && p.has(m, SnapshotLayout.VERIFICATION_FAILED)) {
                found.add("[contradiction] " + m.clusterId() + "/" + m.snapshotId()
                        + " has both verification.json and verification-failed.json");
            }
        }
        Map<String, List<SnapshotVerified>> passes = new TreeMap<>();
        events.verified.forEach(v -> passes.computeIfAbsent(v.clusterId() + "/" + v.snapshotId(), k -> new ArrayList<>()).add(v));
        passes.forEach((s, vs) -> {
            if (vs.stream().map(v -> v.sha256() + " " + v.status()).distinct().count() > 1) {
                found.add("[contradiction] " + s + " was verified " + vs.size() + " times with different results");
            }
            String[] parts = s.split("/");
            events.failuresOf(parts[0], parts[1]).stream()
                    .filter(f -> (f.stage() == Stage.VERIFY || f.stage() == Stage.RESTORE_TEST) && VERDICT_REASONS.contains(f.reason()))
                    .forEach(f -> found.add("[contradiction] " + s + " was verified and also failed " + f.stage() + "/" + f.reason()));
        });
        return found;
    }

    // 6. no false failure for a healthy cluster
    private List<String> noFalseFailures(Events events) {
        List<String> found = new ArrayList<>();
        for (BackupFailed f : events.failures) {
            if (healthy.contains(f.clusterId()) && !f.resolved() && excuses.stream().noneMatch(e -> e.matches().test(f))) {
                found.add("[false-failure] healthy cluster " + f.clusterId() + ": " + f.stage() + "/" + f.reason()
                        + (f.region() == null ? "" : " in " + f.region()) + " for " + f.snapshotId() + " at " + f.time()
                        + ": " + f.message());
            }
        }
        return found;
    }

    // 1./4. restarts lose nothing: every fire has its snapshot or a failure naming it; fires missed
    // while no replica ran are closed by the one late snapshot of the latest of them
    private List<String> noFireLost(Events events) {
        List<String> found = new ArrayList<>();
        Instant until = Instant.now().minus(FIRE_BOUND);
        everyMinute.forEach((cluster, since) -> {
            Set<Instant> covered = new TreeSet<>();
            Set<Instant> late = new TreeSet<>();
            events.taken.stream().filter(t -> t.clusterId().equals(cluster)).forEach(t -> {
                covered.add(timeOf(t.snapshotId()));
                if (Duration.between(timeOf(t.snapshotId()), t.takenAt()).compareTo(LATE) > 0) {
                    late.add(timeOf(t.snapshotId()));
                }
            });
            events.failures.stream().filter(e -> e.clusterId().equals(cluster) && e.snapshotId() != null)
                    .forEach(e -> covered.add(timeOf(e.snapshotId())));
            // a fire whose attempt failed is named by that failure, not again by a catch-up that supersedes it
            events.failures.stream().filter(e -> e.clusterId().equals(cluster) && e.snapshotId() != null
                            && e.stage() == Stage.SNAPSHOT)
                    .collect(Collectors.groupingBy(BackupFailed::snapshotId, TreeMap::new,
                            Collectors.mapping(BackupFailed::reason, Collectors.toCollection(TreeSet::new))))
                    .forEach((snapshotId, reasons) -> {
                        if (reasons.size() > 1 && reasons.contains(FailureReason.SNAPSHOT_SKIPPED)) {
                            found.add("[fire] " + cluster + ": " + snapshotId + " is named by its attempt's failure and"
                                    + " again as SNAPSHOT_SKIPPED: " + reasons);
                        }
                    });
            for (Instant fire = since.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)); !fire.isAfter(until);
                 fire = fire.plus(Duration.ofMinutes(1))) {
                Instant f = fire;
                if (covered.contains(f)) {
                    continue;
                }
                // the next covered fire after f: a late one closes the gap it ends
                Optional<Instant> next = covered.stream().filter(c -> c.isAfter(f)).findFirst();
                if (next.isPresent() && late.contains(next.get())) {
                    continue;
                }
                found.add("[fire] " + cluster + ": the fire of " + f + " has neither a snapshot.taken nor a failure event");
            }
        });
        return found;
    }

    private static Instant timeOf(String snapshotId) {
        try {
            return SnapshotIds.timeOf(snapshotId);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    /** What the topics hold, in a line: events per type and the failures by cluster, stage and reason. */
    String summary() {
        topics.readToEnd();
        Events e = Events.of(topics.records());
        Map<String, Long> failures = new TreeMap<>();
        e.failures.forEach(f -> failures.merge(f.clusterId() + " " + f.stage() + "/" + f.reason()
                + (f.region() == null ? "" : "@" + f.region()) + (f.resolved() ? " resolved" : ""), 1L, Long::sum));
        return e.taken.size() + " taken, " + e.verified.size() + " verified, " + e.replicated.size() + " replicated, "
                + e.pruned.size() + " pruned, failures " + failures;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String sha256(ObjectStore store, String key) {
        try (InputStream in = store.get(key)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (ObjectMissingException e) {
            return "(deleted while read)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The snapshots of the clusters under test in one region: manifests read, every object listed. */
    private record RegionContent(Map<String, SnapshotManifest> manifests, Map<String, String> unreadable,
                                 Map<String, StoredObject> objects) {
        static RegionContent read(ObjectStore store, Set<String> clusters) {
            Map<String, SnapshotManifest> manifests = new TreeMap<>();
            Map<String, String> unreadable = new TreeMap<>();
            Map<String, StoredObject> objects = new TreeMap<>();
            for (String cluster : clusters) {
                for (StoredObject o : store.list(SnapshotLayout.clusterPrefix(cluster))) {
                    objects.put(o.key(), o);
                }
            }
            for (String key : objects.keySet()) {
                if (!key.endsWith("/" + SnapshotLayout.MANIFEST)) {
                    continue;
                }
                String snapshot = key.substring(SnapshotLayout.ROOT.length(), key.length() - SnapshotLayout.MANIFEST.length() - 1);
                try {
                    manifests.put(snapshot, store.getJson(key, SnapshotManifest.class));
                } catch (MalformedDocumentException | IllegalArgumentException e) {
                    unreadable.put(snapshot, e.getMessage());
                } catch (ObjectMissingException e) {
                    // pruned between the listing and the read
                }
            }
            return new RegionContent(manifests, unreadable, objects);
        }

        boolean has(SnapshotManifest m, String name) {
            return objects.containsKey(SnapshotLayout.snapshotPrefix(m.clusterId(), m.snapshotId()) + name);
        }
    }

    /** The decoded events of the pipeline's topics, by type. */
    private record Events(List<SnapshotTaken> taken, List<SnapshotVerified> verified, List<SnapshotReplicated> replicated,
                          List<SnapshotPruned> pruned, List<BackupFailed> failures) {
        static Events of(List<ConsumerRecord<String, byte[]>> records) {
            Events e = new Events(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (ConsumerRecord<String, byte[]> r : records) {
                LifeboatEvent event;
                try {
                    event = CloudEventCodec.decode(r);
                } catch (RuntimeException poison) {
                    continue; // a poison record a test sent: the consumers' business, judged by the test
                }
                if (event instanceof SnapshotTaken t) {
                    e.taken.add(t);
                } else if (event instanceof SnapshotVerified v) {
                    e.verified.add(v);
                } else if (event instanceof SnapshotReplicated rep) {
                    e.replicated.add(rep);
                } else if (event instanceof SnapshotPruned p) {
                    e.pruned.add(p);
                } else if (event instanceof BackupFailed f) {
                    e.failures.add(f);
                }
            }
            return e;
        }

        List<SnapshotVerified> verified(String cluster, String snapshot) {
            return verified.stream().filter(v -> v.clusterId().equals(cluster) && v.snapshotId().equals(snapshot)).toList();
        }

        List<BackupFailed> failuresOf(String cluster, String snapshot) {
            return failures.stream().filter(f -> f.clusterId().equals(cluster) && Objects.equals(f.snapshotId(), snapshot)).toList();
        }

        boolean pruned(String cluster, String snapshot, String region) {
            return pruned.stream().anyMatch(p -> p.clusterId().equals(cluster) && p.snapshotId().equals(snapshot)
                    && p.region().equals(region));
        }
    }
}
