package dev.lifeboat.verifier.expectation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What a cluster's snapshots must hold to count as good, beyond being intact and restorable.
 *
 * @param minLiveKeys     at least this many live keys, if set
 * @param requiredKeys    keys that must be live (read back from the restored etcd)
 * @param maxLostPercent  at most this share of live keys lost since the previous verified snapshot, if set
 */
public record ContentExpectations(OptionalLong minLiveKeys, List<String> requiredKeys, OptionalDouble maxLostPercent) {
    public static final ContentExpectations NONE =
            new ContentExpectations(OptionalLong.empty(), List.of(), OptionalDouble.empty());

    public ContentExpectations {
        requiredKeys = List.copyOf(requiredKeys);
    }

    /** These expectations, with the given settings, where present, replacing these. */
    public ContentExpectations overriddenBy(OptionalLong minLiveKeys, List<String> requiredKeys,
                                            OptionalDouble maxLostPercent) {
        return new ContentExpectations(
                minLiveKeys.isPresent() ? minLiveKeys : this.minLiveKeys,
                requiredKeys != null ? requiredKeys : this.requiredKeys,
                maxLostPercent.isPresent() ? maxLostPercent : this.maxLostPercent);
    }

    /**
     * Every expectation the snapshot breaks, as sentences for the failure message; empty when it
     * meets them all.
     *
     * @param previousLiveKeys live keys of the previous verified snapshot of the cluster, if any
     * @param absentKeys       required keys the restored etcd did not serve
     */
    public List<String> violations(long liveKeys, OptionalLong previousLiveKeys, List<String> absentKeys) {
        List<String> out = new ArrayList<>();
        if (minLiveKeys.isPresent() && liveKeys < minLiveKeys.getAsLong()) {
            out.add(liveKeys + " live keys, expected at least " + minLiveKeys.getAsLong());
        }
        for (String key : absentKeys) {
            out.add("required key " + key + " is absent");
        }
        if (maxLostPercent.isPresent() && previousLiveKeys.isPresent() && previousLiveKeys.getAsLong() > 0) {
            long before = previousLiveKeys.getAsLong();
            double lost = 100.0 * (before - liveKeys) / before;
            if (lost > maxLostPercent.getAsDouble()) {
                out.add(String.format(Locale.ROOT,
                        "%.1f%% of live keys lost since the previous verified snapshot (%d -> %d), at most %s%% allowed",
                        lost, before, liveKeys, maxLostPercent.getAsDouble()));
            }
        }
        return out;
    }
}
