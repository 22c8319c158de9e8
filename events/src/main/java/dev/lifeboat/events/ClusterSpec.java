package dev.lifeboat.events;

import java.util.List;
import java.util.Map;

/**
 * What a platform team registers for one etcd cluster. TLS material is referenced by path,
 * never carried in events.
 *
 * @param endpoints   client URLs of the members, e.g. {@code https://10.0.0.1:2379}
 * @param tls         optional CA, client certificate and PKCS#8 key files
 * @param schedule    5-field Unix cron in UTC; null means on-demand only
 * @param retention   optional per-cluster retention policy (the global default applies otherwise)
 * @param replicateTo regions to copy verified snapshots to; null means every secondary region
 * @param rpoMinutes  optional recovery point objective; default twice the schedule interval
 * @param labels      free-form labels
 */
public record ClusterSpec(
        List<String> endpoints,
        TlsFiles tls,
        String schedule,
        RetentionSpec retention,
        List<String> replicateTo,
        Integer rpoMinutes,
        Map<String, String> labels) {

    /** Paths of PEM files readable by the snapshot-service. */
    public record TlsFiles(String caFile, String certFile, String keyFile) {}

    /**
     * Retention rules: a snapshot is kept if any rule keeps it. Null fields are unset.
     * GFS counts keep the newest verified snapshot in each of the last K UTC periods.
     */
    public record RetentionSpec(
            Integer keepLast,
            Integer hourly,
            Integer daily,
            Integer weekly,
            Integer monthly,
            Integer yearly,
            Integer maxAgeDays) {}
}
