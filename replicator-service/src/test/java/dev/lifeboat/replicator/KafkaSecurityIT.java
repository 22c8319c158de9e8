package dev.lifeboat.replicator;

import java.util.List;

import jakarta.inject.Inject;

import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.replicator.messaging.VerifiedSnapshotConsumer;
import dev.lifeboat.testing.KafkaSecurityContract;
import dev.lifeboat.testing.ScramProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The replicator on a SASL/SCRAM broker (see {@link KafkaSecurityContract}): the kit's producer
 * publishes a failure, and its consumer of verified snapshots dead-letters a record that is no event.
 */
@QuarkusTest
@TestProfile(ScramProfile.class)
class KafkaSecurityIT extends KafkaSecurityContract {
    @Inject
    EventPublisher publisher;

    @Override
    protected List<Expected> useEveryClient() {
        return List.of(publishedFailure(publisher::publish), deadLettered(VerifiedSnapshotConsumer.CHANNEL));
    }
}
