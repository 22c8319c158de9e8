package dev.lifeboat.retention;

import java.util.List;

import jakarta.inject.Inject;

import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.retention.messaging.SnapshotEventsConsumer;
import dev.lifeboat.testing.KafkaSecurityContract;
import dev.lifeboat.testing.ScramProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The retention-service on a broker that needs SASL/SCRAM ({@link KafkaSecurityContract}): a failure
 * published through the kit's producer arrives, and a record on its channel for verified snapshots
 * that is no event is parked on that topic's dead-letter topic.
 */
@QuarkusTest
@TestProfile(ScramProfile.class)
class KafkaSecurityIT extends KafkaSecurityContract {
    @Inject
    EventPublisher publisher;

    @Override
    protected List<Expected> useEveryClient() {
        return List.of(publishedFailure(publisher::publish), deadLettered(SnapshotEventsConsumer.VERIFIED));
    }
}
