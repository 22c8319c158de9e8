package dev.lifeboat.verifier.drill;

import java.util.List;

import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.inspect.KeyValueSample;
import dev.lifeboat.inspect.SnapshotInspection;

/**
 * What the restored etcd must serve: the revision and live key count computed from the file, and
 * sample keys with their values.
 *
 * @param requiredKeys keys to look up in the restored etcd; the drill reports those it lacks
 * @param kvHash       the source cluster's own HashKV at the snapshot revision (from the manifest;
 *                     null when it was not recorded): an oracle independent of the file
 */
public record DrillExpectation(long revision, long liveKeys, List<KeyValueSample> sample, List<String> requiredKeys,
                               SnapshotManifest.KvHash kvHash) {
    public DrillExpectation {
        sample = List.copyOf(sample);
        requiredKeys = List.copyOf(requiredKeys);
    }

    public DrillExpectation(long revision, long liveKeys, List<KeyValueSample> sample) {
        this(revision, liveKeys, sample, List.of(), null);
    }

    public static DrillExpectation of(SnapshotInspection inspection, List<String> requiredKeys) {
        return new DrillExpectation(inspection.status().revision(), inspection.liveKeys(), inspection.sample(),
                requiredKeys, null);
    }

    public DrillExpectation withRequiredKeys(List<String> keys) {
        return new DrillExpectation(revision, liveKeys, sample, keys, kvHash);
    }

    public DrillExpectation withKvHash(SnapshotManifest.KvHash hash) {
        return new DrillExpectation(revision, liveKeys, sample, requiredKeys, hash);
    }
}
