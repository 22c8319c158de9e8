package dev.lifeboat.retention.messaging;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.lifeboat.events.Topics;

/** Creates the dead-letter topics of the topics this service consumes, so they can be watched from the start. */
final class DeadLetterTopics {
    static final List<String> CONSUMED = List.of(Topics.SNAPSHOTS_TAKEN, Topics.SNAPSHOTS_VERIFIED,
            Topics.SNAPSHOTS_REPLICATED);

    private DeadLetterTopics() {}

    static void ensure(String bootstrapServers, int partitions, short replicationFactor) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String topic : CONSUMED.stream().map(Topics::deadLetter).filter(t -> !existing.contains(t)).toList()) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor)))
                            .all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating dead-letter topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create dead-letter topics on " + bootstrapServers + ": " + e, e);
        }
    }
}
