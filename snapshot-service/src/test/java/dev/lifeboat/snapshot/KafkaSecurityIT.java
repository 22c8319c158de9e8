package dev.lifeboat.snapshot;

import static dev.lifeboat.snapshot.SnapshotServiceTestBase.asAdmin;
import static dev.lifeboat.snapshot.SnapshotServiceTestBase.plain;

import java.util.List;

import dev.lifeboat.events.Topics;
import dev.lifeboat.testing.KafkaSecurityContract;
import dev.lifeboat.testing.ScramProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The snapshot-service on a broker that requires SASL/SCRAM, given the credentials only as
 * {@code kafka.*} settings: it starts (topic set-up: admin; the registry: consumer), is ready (the
 * kit's Kafka check: admin), and a registration reaches the registry and the audit topic (the
 * kit's producer). A client without credentials is refused.
 */
@QuarkusTest
@TestProfile(ScramProfile.class)
class KafkaSecurityIT extends KafkaSecurityContract {
    @Override
    protected List<Expected> useEveryClient() {
        asAdmin().contentType(ContentType.JSON).body(plain("http://127.0.0.1:2379"))
                .put("/api/v1/clusters/scram-probe").then().statusCode(201);
        return List.of(new Expected(Topics.CLUSTERS, "scram-probe"), new Expected(Topics.AUDIT, "scram-probe"));
    }
}
