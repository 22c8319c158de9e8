package dev.lifeboat.verifier.messaging;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

import dev.lifeboat.events.TopicSetup;
import dev.lifeboat.events.Topics;

/** Creates Lifeboat's topics and this service's dead-letter topic when they are missing. */
@ApplicationScoped
public class TopicsAtStartup {
    private final String bootstrapServers;
    private final int partitions;
    private final short replicationFactor;

    public TopicsAtStartup(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                           @ConfigProperty(name = "lifeboat.topics.partitions", defaultValue = "3") int partitions,
                           @ConfigProperty(name = "lifeboat.topics.replication-factor", defaultValue = "1")
                           short replicationFactor) {
        this.bootstrapServers = bootstrapServers;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    void onStart(@Observes StartupEvent event) {
        TopicSetup.ensureTopics(bootstrapServers, partitions, replicationFactor);
        ensureDeadLetterTopic(Topics.deadLetter(Topics.SNAPSHOTS_TAKEN));
    }

    private void ensureDeadLetterTopic(String name) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, replicationFactor).configs(Map.of())))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + " on " + bootstrapServers, e);
        }
    }
}
