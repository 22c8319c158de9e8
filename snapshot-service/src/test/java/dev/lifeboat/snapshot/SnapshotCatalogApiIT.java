package dev.lifeboat.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.store.StoreFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * The REST catalog a page at a time: limit, the Link to the next page, bad paging input, and a
 * snapshot whose manifest cannot be read, listed in its place with its state.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfrastructure.class)
class SnapshotCatalogApiIT extends SnapshotServiceTestBase {
    @Inject
    Regions regions;

    @Test
    void theCatalogComesAPageAtATimeNewestFirst() {
        String clusterId = "paged";
        register(clusterId, plain("http://127.0.0.1:2379"));
        List<String> ids = new ArrayList<>();
        for (int day = 10; day < 15; day++) {
            String id = SnapshotIds.newSnapshotId(Instant.parse("2026-11-" + day + "T10:00:00Z"));
            SnapshotManifest m = StoreFixtures.manifest(clusterId, id).storedAsIs(2, "ab").build();
            StoreFixtures.writeObject(regions.primary(), m, new byte[] {1, 2});
            StoreFixtures.writeManifest(regions.primary(), m);
            ids.add(0, id);
        }
        String path = "/api/v1/clusters/" + clusterId + "/snapshots";
        List<String> seen = new ArrayList<>();
        String next = path + "?limit=2";
        int pages = 0;
        while (next != null) {
            Response page = asAdmin().when().get(next).then().statusCode(200).extract().response();
            seen.addAll(page.jsonPath().getList("snapshotId"));
            assertThat(page.jsonPath().getList("snapshotId")).hasSizeLessThanOrEqualTo(2);
            String link = page.header("Link");
            next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            assertThat(link == null || link.contains("rel=\"next\"")).as(link).isTrue();
            pages++;
        }
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(pages).isEqualTo(3);
        // without a limit: the default page holds all five
        asAdmin().when().get(path).then().statusCode(200).body("size()", equalTo(5));
    }

    @Test
    void aSnapshotWhoseManifestCannotBeReadIsListedWithItsStateNotHidden() {
        String clusterId = "paged-unreadable";
        register(clusterId, plain("http://127.0.0.1:2379"));
        List<String> ids = new ArrayList<>();
        for (int day = 10; day < 15; day++) {
            String id = SnapshotIds.newSnapshotId(Instant.parse("2026-11-" + day + "T10:00:00Z"));
            SnapshotManifest m = StoreFixtures.manifest(clusterId, id).storedAsIs(2, "ab").build();
            StoreFixtures.writeObject(regions.primary(), m, new byte[] {1, 2});
            StoreFixtures.writeManifest(regions.primary(), m);
            ids.add(0, id);
        }
        // the middle one's manifest is truncated in the store: not JSON
        String broken = ids.get(2);
        regions.primary().put(SnapshotLayout.manifestKey(clusterId, broken), "{\"clusterId\": \"paged-unr"
                .getBytes(StandardCharsets.UTF_8), "application/json");
        String path = "/api/v1/clusters/" + clusterId + "/snapshots";
        List<String> seen = new ArrayList<>();
        Map<String, Object> brokenLine = null;
        String next = path + "?limit=2";
        while (next != null) {
            Response page = asAdmin().when().get(next).then().statusCode(200).extract().response();
            List<Map<String, Object>> lines = page.jsonPath().getList("$");
            for (Map<String, Object> line : lines) {
                seen.add((String) line.get("snapshotId"));
                if (broken.equals(line.get("snapshotId"))) {
                    brokenLine = line;
                } else {
                    assertThat(line.get("state")).as("%s", line).isEqualTo("PRESENT");
                    assertThat(line.get("problem")).isNull();
                    assertThat(line.get("sizeBytes")).isEqualTo(2);
                }
            }
            String link = page.header("Link");
            next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        }
        assertThat(seen).as("every snapshot, newest first, the unreadable one in its place").containsExactlyElementsOf(ids);
        assertThat(brokenLine).isNotNull();
        assertThat(brokenLine.get("state")).isEqualTo("UNREADABLE");
        assertThat((String) brokenLine.get("problem")).contains("manifest.json");
        assertThat(brokenLine.get("sizeBytes")).as("nothing the manifest would tell").isNull();
        assertThat(brokenLine.get("takenAt")).isNull();
    }

    @Test
    void badPagingIsA400Problem() {
        String path = "/api/v1/clusters/paged-bad/snapshots";
        register("paged-bad", plain("http://127.0.0.1:2379"));
        for (String query : List.of("?limit=0", "?limit=1001", "?limit=ten", "?before=../../etc")) {
            asAdmin().when().get(path + query).then().statusCode(400).contentType("application/problem+json");
        }
    }
}
