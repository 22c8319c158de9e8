package dev.lifeboat.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SeveritiesTest {
    @ParameterizedTest
    @EnumSource(Stage.class)
    void anUnavailableStoreIsAWarningInEveryStage(Stage stage) {
        assertThat(Severities.of(stage, FailureReason.STORE_UNAVAILABLE)).isEqualTo(Severity.WARNING);
    }

    @ParameterizedTest
    @CsvSource({
            "SNAPSHOT,     ETCD_UNREACHABLE,        CRITICAL",
            "SNAPSHOT,     TIMEOUT,                 CRITICAL",
            "SNAPSHOT,     SNAPSHOT_STALLED,        CRITICAL",
            "SNAPSHOT,     SNAPSHOT_SKIPPED,        WARNING",
            "SNAPSHOT,     QUEUED_TOO_LONG,         WARNING",
            "SNAPSHOT,     SERVICE_STOPPING,        WARNING",
            "SNAPSHOT,     SNAPSHOT_ABANDONED,      WARNING",
            "VERIFY,       HASH_MISMATCH,           CRITICAL",
            "VERIFY,       SOURCE_MISSING,          CRITICAL",
            "RESTORE_TEST, RESTORE_TIMEOUT,         CRITICAL",
            "REPLICATE,    SOURCE_MISSING,          WARNING",
            "REPLICATE,    CHECKSUM_MISMATCH,       CRITICAL",
            "REPLICATE,    UNKNOWN_REGION,          CRITICAL",
            "PRUNE,        POLICY_WOULD_DELETE_ALL, WARNING",
            "PRUNE,        INTERNAL,                CRITICAL",
            "FRESHNESS,    STALE_BACKUP,            CRITICAL",
            "REGISTRY,     CLUSTER_DEREGISTERED,    WARNING",
            "REGISTRY,     RETENTION_SHRUNK,        WARNING",
    })
    void table(Stage stage, FailureReason reason, Severity expected) {
        assertThat(Severities.of(stage, reason)).isEqualTo(expected);
    }

    @Test
    void theFactoryTakesTheSeverityFromTheTable() {
        assertThat(BackupFailed.of("c1", null, Stage.SNAPSHOT, FailureReason.STORE_UNAVAILABLE, "down", "primary", 1)
                .severity()).isEqualTo(Severity.WARNING);
    }
}
