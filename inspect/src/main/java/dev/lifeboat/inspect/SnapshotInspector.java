package dev.lifeboat.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.common.snapshotfile.EtcdSnapshotFile;
import dev.lifeboat.inspect.bolt.BoltFormatException;
import dev.lifeboat.inspect.bolt.BoltReader;
import dev.lifeboat.inspect.bolt.EntryVisitor;
import dev.lifeboat.inspect.content.KubernetesContentReport;
import dev.lifeboat.inspect.content.MalformedProtobufException;
import dev.lifeboat.inspect.status.Revisions;
import dev.lifeboat.inspect.status.SnapshotStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a snapshot file (bbolt db + 32-byte sha256 trailer) in pure Java. Random access via
 * FileChannel; memory does not grow with the file size (only with the number of distinct keys, at
 * 16 bytes each, to tell live keys from overwritten ones).
 *
 * <p>Checks run from cheapest to most precise: the size rule and the meta pages (TRUNCATED), the
 * trailer (HASH_MISMATCH), then the full structure (CORRUPT_DB).
 */
public final class SnapshotInspector {
    private static final String KEY_BUCKET = "key";
    private static final String META_BUCKET = "meta";
    private static final String CLUSTER_BUCKET = "cluster";
    private static final String MEMBERS_BUCKET = "members";
    private static final String FINISHED_COMPACT_REV = "finishedCompactRev";
    private static final String CLUSTER_VERSION = "clusterVersion";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SnapshotInspector() {
    }

    /**
     * Checks the trailer and the database structure, then computes the status, the live keys, the
     * members and the content report.
     *
     * @param sampleSize how many live keys to return for a read-back check
     * @throws CorruptSnapshotException with reason TRUNCATED, HASH_MISMATCH or CORRUPT_DB
     * @throws UncheckedIOException     when the file cannot be read at all
     */
    public static SnapshotInspection inspect(Path snapshotFile, int sampleSize) throws CorruptSnapshotException {
        try (FileChannel channel = FileChannel.open(snapshotFile, StandardOpenOption.READ)) {
            BoltReader reader = open(channel, true);
            try {
                SnapshotStatus status = SnapshotStatus.of(reader);
                return readContent(reader, status, sampleSize);
            } catch (BoltFormatException e) {
                throw corrupt(e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Only what {@code etcdctl snapshot status} prints, without checking the trailer (neither does
     * etcdctl); still validates the structure it walks.
     */
    public static SnapshotStatus status(Path snapshotFile) throws CorruptSnapshotException {
        try (FileChannel channel = FileChannel.open(snapshotFile, StandardOpenOption.READ)) {
            try {
                return SnapshotStatus.of(open(channel, false));
            } catch (BoltFormatException e) {
                throw corrupt(e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BoltReader open(FileChannel channel, boolean checkTrailer) throws IOException, CorruptSnapshotException {
        long size = channel.size();
        if (!EtcdSnapshotFile.sizeRuleHolds(size)) {
            throw new CorruptSnapshotException(Corruption.TRUNCATED, EtcdSnapshotFile.sizeRuleBroken(size));
        }
        long databaseSize = EtcdSnapshotFile.databaseSize(size);
        BoltReader reader;
        try {
            reader = BoltReader.open(channel, databaseSize);
        } catch (BoltFormatException e) {
            if (e.truncated()) {
                throw new CorruptSnapshotException(Corruption.TRUNCATED, e.getMessage());
            }
            // Both meta pages are unreadable: if the bytes changed after etcd hashed them, say so.
            String mismatch = checkTrailer ? SnapshotTrailer.mismatch(channel, databaseSize) : null;
            throw mismatch != null
                    ? new CorruptSnapshotException(Corruption.HASH_MISMATCH, mismatch)
                    : corrupt(e);
        }
        if (reader.meta().databaseSize() != databaseSize) {
            throw new CorruptSnapshotException(Corruption.CORRUPT_DB, "file holds "
                    + (databaseSize - reader.meta().databaseSize()) + " bytes past the end of the database");
        }
        if (checkTrailer) {
            String mismatch = SnapshotTrailer.mismatch(channel, databaseSize);
            if (mismatch != null) {
                throw new CorruptSnapshotException(Corruption.HASH_MISMATCH, mismatch);
            }
        }
        return reader;
    }

    private static CorruptSnapshotException corrupt(BoltFormatException e) {
        return new CorruptSnapshotException(e.truncated() ? Corruption.TRUNCATED : Corruption.CORRUPT_DB,
                e.getMessage());
    }

    /** Second walk: bucket {@code key} newest first, so the first entry seen per key is its current one. */
    private static SnapshotInspection readContent(BoltReader reader, SnapshotStatus status, int sampleSize)
            throws BoltFormatException {
        LiveKeySet seen = new LiveKeySet();
        KeySampler sampler = new KeySampler(sampleSize);
        KubernetesContentReport content = new KubernetesContentReport();
        long[] live = {0};
        long[] compactRevision = {0};
        String[] clusterVersion = {""};
        List<String> members = new ArrayList<>();
        EntryVisitor keys = (revision, value) -> {
            if (value == null) {
                throw new BoltFormatException("bucket key holds a nested bucket");
            }
            if (value.remaining() == 0) {
                // etcdutl's --bump-revision marker (and Lifeboat's RevisionBump): no key, only a revision.
                return;
            }
            boolean tombstone = Revisions.isTombstone(revision);
            MvccKeyValue kv;
            try {
                kv = MvccKeyValue.decode(value);
            } catch (MalformedProtobufException e) {
                throw new BoltFormatException("revision " + Revisions.mainOf(revision) + " holds no KeyValue: "
                        + e.getMessage());
            }
            long hash = KeyHash.of(kv.key());
            if (seen.add(hash) && !tombstone) {
                live[0]++;
                content.add(kv.key(), kv.value());
                sampler.offer(hash, kv.key(), kv.value(), kv.modRevision());
            }
        };
        reader.walk(name -> switch (ascii(name)) {
            case KEY_BUCKET -> keys;
            case META_BUCKET -> (key, value) -> {
                if (value != null && ascii(key).equals(FINISHED_COMPACT_REV)) {
                    compactRevision[0] = Revisions.mainOf(value);
                }
            };
            case CLUSTER_BUCKET -> (key, value) -> {
                if (value != null && ascii(key).equals(CLUSTER_VERSION)) {
                    clusterVersion[0] = ascii(value);
                }
            };
            case MEMBERS_BUCKET -> (key, value) -> {
                if (value != null) {
                    members.add(member(ascii(key), value));
                }
            };
            default -> null;
        }, true);
        return new SnapshotInspection(status, live[0], compactRevision[0], clusterVersion[0], List.copyOf(members),
                content.summary(), sampler.samples());
    }

    /** {@code <hex id> <name> <peerURLs>} from a member's JSON record. */
    private static String member(String id, ByteBuffer json) throws BoltFormatException {
        try {
            JsonNode node = JSON.readTree(ascii(json));
            List<String> peers = new ArrayList<>();
            node.path("peerURLs").forEach(url -> peers.add(url.asText()));
            return id + " " + node.path("name").asText("") + " " + String.join(",", peers);
        } catch (IOException e) {
            throw new BoltFormatException("member " + id + " is not valid JSON");
        }
    }

    private static String ascii(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(b.position(), a);
        return new String(a, StandardCharsets.UTF_8);
    }
}
