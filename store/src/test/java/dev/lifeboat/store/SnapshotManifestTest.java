package dev.lifeboat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import dev.lifeboat.events.EventJson;

/** The manifest's two files (raw and stored), its key, and manifests written before encodings. */
class SnapshotManifestTest {
    static final String ID = "20261121T044649Z-3f9a1c2e";

    /** Verbatim what the snapshot service wrote before the manifest recorded an encoding. */
    static final String WRITTEN_BEFORE_ENCODINGS = """
            {
              "format" : "etcd-snapshot-v1",
              "clusterId" : "prod-eu-1",
              "snapshotId" : "20261121T044649Z-3f9a1c2e",
              "takenAt" : "2026-11-21T04:46:49.712Z",
              "revision" : 1048213,
              "memberId" : "3f80d8f310ad26bc",
              "memberEndpoint" : "https://10.0.0.1:2379",
              "etcdVersion" : "3.4.23",
              "sizeBytes" : 71499808,
              "sha256" : "546e27b8116622f95dc1f48dc8a597d9f0b5ac0aa0a2561d91a264888cc8eeda",
              "objectName" : "snapshot.db",
              "trigger" : "SCHEDULE",
              "producedBy" : "lifeboat-snapshot-service/0.1.0 (jetcd Maintenance.snapshot)",
              "durationMillis" : 1390,
              "kvHash" : { "revision" : 1048213, "hash" : 3166437130, "compactRevision" : -1 }
            }""";

    @Test
    void aManifestWrittenBeforeEncodingsReadsAsIdentityWithTheStoredObjectBeingTheRawFile() throws Exception {
        SnapshotManifest m = EventJson.mapper().readValue(WRITTEN_BEFORE_ENCODINGS, SnapshotManifest.class);
        assertThat(m.encoding()).isEqualTo("identity");
        assertThat(m.storedSizeBytes()).isEqualTo(71499808L);
        assertThat(m.storedSha256()).isEqualTo("546e27b8116622f95dc1f48dc8a597d9f0b5ac0aa0a2561d91a264888cc8eeda");
        assertThat(SnapshotLayout.objectKey(m)).isEqualTo("clusters/prod-eu-1/" + ID + "/snapshot.db");
        assertThat(m.kvHash().hash()).isEqualTo(3166437130L);
    }

    @Test
    void aNewManifestRecordsTheEncodingAndBothFilesAndReadsBackEqual() throws Exception {
        SnapshotManifest m = SnapshotManifest.builder("prod-eu-1", ID).takenAt(Instant.parse("2026-11-21T04:46:49Z"))
                .raw(100, "aa").stored(SnapshotEncoding.IDENTITY, 100, "aa").build();
        String json = EventJson.mapper().writeValueAsString(m);
        assertThat(json).contains("\"encoding\":\"identity\"", "\"storedSizeBytes\":100", "\"storedSha256\":\"aa\"",
                "\"objectName\":\"snapshot.db\"");
        assertThat(EventJson.mapper().readValue(json, SnapshotManifest.class)).isEqualTo(m);
        assertThat(m.toBuilder().build()).isEqualTo(m);
    }

    @Test
    void anObjectNameFromTheStoreCannotLeaveTheSnapshotsPrefix() {
        SnapshotManifest m = SnapshotManifest.builder("c", ID).takenAt(Instant.EPOCH).objectName("../../other/x").build();
        assertThatThrownBy(() -> SnapshotLayout.objectKey(m)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SnapshotLayout.objectKey(m.toBuilder().objectName("snapshot.db.zst").build()))
                .isEqualTo("clusters/c/" + ID + "/snapshot.db.zst");
        assertThat(SnapshotLayout.isSnapshotObject("clusters/c/" + ID + "/snapshot.db")).isTrue();
        assertThat(SnapshotLayout.isSnapshotObject("clusters/c/" + ID + "/manifest.json")).isFalse();
    }

    @Test
    void anUnknownEncodingIsRefusedByName() {
        assertThat(SnapshotEncoding.named("identity")).isSameAs(SnapshotEncoding.IDENTITY);
        assertThatThrownBy(() -> SnapshotEncoding.named("zstd")).hasMessageContaining("unknown snapshot encoding zstd");
    }

    @Test
    void theEncodingStreamsMeasureTheStoredBytesAndGiveBackTheRawOnes() throws Exception {
        byte[] raw = "etcd snapshot bytes".getBytes(StandardCharsets.UTF_8);
        String rawSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        EncodingOutputStream out = new EncodingOutputStream(SnapshotEncoding.IDENTITY, stored);
        out.write(raw, 0, 5);
        out.write(raw, 5, raw.length - 5);
        out.finish();
        assertThat(out.storedSize()).isEqualTo(raw.length);
        assertThat(out.storedSha256Hex()).isEqualTo(rawSha);

        DecodingInputStream in = new DecodingInputStream(SnapshotEncoding.IDENTITY,
                new ByteArrayInputStream(stored.toByteArray()));
        assertThat(in.readAllBytes()).isEqualTo(raw);
        assertThat(in.storedSize()).isEqualTo(raw.length);
        assertThat(in.storedSha256Hex()).isEqualTo(rawSha);
    }
}
