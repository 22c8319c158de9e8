package dev.lifeboat.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The first-backup deadline counts from the first registration or the last schedule change, not from any PUT. */
class ClusterRegisteredTest {
    private static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-20T09:10:00Z");
    private static final Instant T2 = Instant.parse("2026-11-20T09:20:00Z");

    @Test
    void aRePutOfTheSameScheduleKeepsWhenTheScheduleBegan() {
        ClusterRegistered first = ClusterRegistered.registered("c", spec("0 * * * *", 24), T0, Optional.empty());
        ClusterRegistered again = ClusterRegistered.registered("c", spec("0 * * * *", 48), T1, Optional.of(first));
        assertThat(first.firstBackupFrom()).isEqualTo(T0);
        assertThat(again.updatedAt()).isEqualTo(T1);
        assertThat(again.firstBackupFrom()).isEqualTo(T0);
    }

    @Test
    void aScheduleChangeStartsTheCountAgain() {
        ClusterRegistered first = ClusterRegistered.registered("c", spec("0 * * * *", 24), T0, Optional.empty());
        ClusterRegistered changed = ClusterRegistered.registered("c", spec("*/5 * * * *", 24), T2, Optional.of(first));
        assertThat(changed.firstBackupFrom()).isEqualTo(T2);
    }

    @Test
    void aRecordWrittenBeforeTheFieldExistedCountsFromItsUpdate() throws Exception {
        String old = "{\"clusterId\":\"c\",\"spec\":{\"endpoints\":[\"http://127.0.0.1:2379\"],\"schedule\":\"0 * * * *\"},"
                + "\"updatedAt\":\"2026-11-20T09:10:00Z\"}";
        ClusterRegistered read = EventJson.mapper().readValue(old, ClusterRegistered.class);
        assertThat(read.scheduleSince()).isNull();
        assertThat(read.firstBackupFrom()).isEqualTo(T1);
        ClusterRegistered next = ClusterRegistered.registered("c", spec("0 * * * *", 24), T2, Optional.of(read));
        assertThat(next.firstBackupFrom()).isEqualTo(T1);
    }

    private static ClusterSpec spec(String schedule, int keepLast) {
        return new ClusterSpec(List.of("http://127.0.0.1:2379"), null, schedule,
                null, List.of(), null, Map.of("keep", String.valueOf(keepLast)));
    }
}
