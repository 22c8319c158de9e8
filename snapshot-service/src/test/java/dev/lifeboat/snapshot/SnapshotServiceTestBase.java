package dev.lifeboat.snapshot;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.CloudEventCodec;
import dev.lifeboat.events.EventTypes;
import dev.lifeboat.events.Topics;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.TopicRecorder;
import dev.lifeboat.testing.TokenMinter;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** What the snapshot-service tests share: registering clusters over REST and waiting for their events. */
abstract class SnapshotServiceTestBase {
    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    /** A request with an admin's token: what the tests that are not about roles call with. */
    static RequestSpecification asAdmin() {
        return given().auth().oauth2(TokenMinter.adminToken());
    }

    static ClusterSpec plain(String endpoint) {
        return new ClusterSpec(List.of(endpoint), null, null, null, null, null, Map.of("env", "test"));
    }

    static void register(String clusterId, ClusterSpec spec) {
        asAdmin().contentType(ContentType.JSON).body(spec)
                .when().put("/api/v1/clusters/" + clusterId)
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
    }

    static String takeSnapshot(String clusterId) {
        return asAdmin().when().post("/api/v1/clusters/" + clusterId + "/snapshots")
                .then().statusCode(202).extract().path("snapshotId");
    }

    static TopicRecorder recorder() {
        return new TopicRecorder(LifeboatInfrastructure.servers().kafka().bootstrapServers(),
                Topics.SNAPSHOTS_TAKEN, Topics.FAILURES);
    }

    static ConsumerRecord<String, byte[]> awaitEvent(TopicRecorder recorder, String clusterId, String snapshotId,
                                                     String type) {
        return recorder.await(r -> clusterId.equals(r.key())
                && snapshotId.equals(CloudEventCodec.header(r.headers(), "ce_subject"))
                && type.equals(CloudEventCodec.header(r.headers(), "ce_type")), EVENT_TIMEOUT);
    }

    /** The outcome event of a snapshot, taken or failed, whichever comes. */
    static ConsumerRecord<String, byte[]> awaitOutcome(TopicRecorder recorder, String clusterId, String snapshotId) {
        return recorder.await(r -> clusterId.equals(r.key())
                && snapshotId.equals(CloudEventCodec.header(r.headers(), "ce_subject")), EVENT_TIMEOUT);
    }

    static BackupFailed awaitFailure(TopicRecorder recorder, String clusterId, String snapshotId) {
        ConsumerRecord<String, byte[]> r = awaitOutcome(recorder, clusterId, snapshotId);
        org.assertj.core.api.Assertions.assertThat(CloudEventCodec.header(r.headers(), "ce_type"))
                .as("outcome of snapshot %s", snapshotId).isEqualTo(EventTypes.BACKUP_FAILED);
        return CloudEventCodec.decode(r, BackupFailed.class);
    }
}
