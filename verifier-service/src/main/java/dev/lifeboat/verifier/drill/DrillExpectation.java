package dev.lifeboat.verifier.drill;

import java.util.List;

import dev.lifeboat.verifier.inspect.KeyValueSample;
import dev.lifeboat.verifier.inspect.SnapshotInspection;

/**
 * What the restored etcd must serve: the revision and live key count computed from the file, and
 * sample keys with their values.
 */
public record DrillExpectation(long revision, long liveKeys, List<KeyValueSample> sample) {
    public static DrillExpectation of(SnapshotInspection inspection) {
        return new DrillExpectation(inspection.status().revision(), inspection.liveKeys(), inspection.sample());
    }
}
