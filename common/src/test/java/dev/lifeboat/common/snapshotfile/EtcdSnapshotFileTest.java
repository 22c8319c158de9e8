package dev.lifeboat.common.snapshotfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EtcdSnapshotFileTest {
    @Test
    void wholeBlocksPlusTheTrailerPass() {
        assertThat(EtcdSnapshotFile.sizeRuleHolds(512 + 32)).isTrue();
        assertThat(EtcdSnapshotFile.sizeRuleHolds(4 * 4096 + 32)).isTrue(); // the smallest bbolt file etcd writes
        assertThat(EtcdSnapshotFile.sizeRuleHolds(20_000L * 4096 + 32)).isTrue();
        assertThat(EtcdSnapshotFile.sizeRuleHolds(3L * 1024 * 1024 * 1024 + 32)).isTrue(); // past int range
    }

    @Test
    void aTrailerWithoutADatabaseBreaksTheRule() {
        // etcd's own test (size % 512 == 32) lets this through; it holds no database
        assertThat(32 % 512).isEqualTo(32);
        assertThat(EtcdSnapshotFile.sizeRuleHolds(32)).isFalse();
    }

    @Test
    void anythingElseBreaksIt() {
        for (long size : new long[] {0, 1, 31, 33, 512, 513, 543, 545, 4096, 4096 + 31, 4096 + 33, 8192 + 32 + 512 - 1}) {
            assertThat(EtcdSnapshotFile.sizeRuleHolds(size)).as("%d bytes", size).isFalse();
        }
    }

    @Test
    void theDatabaseIsEverythingBeforeTheTrailer() {
        assertThat(EtcdSnapshotFile.databaseSize(8192 + 32)).isEqualTo(8192);
        assertThatThrownBy(() -> EtcdSnapshotFile.databaseSize(32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes breaks etcd's size rule");
    }
}
