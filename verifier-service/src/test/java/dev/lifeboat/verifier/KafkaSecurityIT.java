package dev.lifeboat.verifier;

import java.util.List;

import jakarta.inject.Inject;

import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.testing.KafkaSecurityContract;
import dev.lifeboat.testing.ScramProfile;
import dev.lifeboat.verifier.messaging.SnapshotTakenConsumer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The verifier with credentials for a SCRAM-only broker given as {@code kafka.*} settings alone
 * ({@link KafkaSecurityContract}): it publishes through the kit's producer, and what its consumer of
 * taken snapshots cannot decode lands on the dead-letter topic.
 */
@QuarkusTest
@TestProfile(ScramProfile.class)
class KafkaSecurityIT extends KafkaSecurityContract {
    @Inject
    EventPublisher publisher;

    @Override
    protected List<Expected> useEveryClient() {
        return List.of(publishedFailure(publisher::publish), deadLettered(SnapshotTakenConsumer.CHANNEL));
    }
}
