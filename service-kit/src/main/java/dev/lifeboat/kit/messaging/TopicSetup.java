package dev.lifeboat.kit.messaging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.lifeboat.events.Topics;

/**
 * Creates Lifeboat's topics when missing (the registry compacted, which broker auto-creation would
 * not do) and refuses an existing registry topic that would lose registrations: one that is not
 * compacted or has fewer replicas than configured.
 */
public final class TopicSetup {
    private final KafkaClientConfig kafka;
    private final int partitions;
    private final short replicationFactor;

    public TopicSetup(KafkaClientConfig kafka, int partitions, short replicationFactor) {
        this.kafka = kafka;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /**
     * Creates every Lifeboat topic that is missing, plus the dead-letter topic of each topic in
     * {@code consumed}, then checks the registry topic.
     *
     * @throws IllegalStateException when Kafka cannot be reached or the registry topic is unsafe
     */
    public void ensure(Collection<String> consumed) {
        List<Topics.TopicSpec> wanted = new ArrayList<>(Topics.ALL);
        for (String topic : consumed) {
            wanted.add(new Topics.TopicSpec(Topics.deadLetter(topic), false));
        }
        try (Admin admin = Admin.create(kafka.admin("lifeboat-topic-setup"))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (Topics.TopicSpec t : wanted) {
                if (!existing.contains(t.name())) {
                    create(admin, t);
                }
            }
            checkRegistry(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create Lifeboat topics on " + kafka.bootstrapServers() + ": " + e, e);
        }
    }

    /**
     * Creates a service's ownership topic ({@link Topics#ownership}) with {@code ownershipPartitions}
     * partitions when missing. Its records are short-lived requests to a cluster's owner: kept
     * one hour. An existing topic keeps its partitions (adding some would move clusters while
     * their owners still hold them; the owners refuse such a change).
     */
    public void ensureOwnership(String topic, int ownershipPartitions) {
        try (Admin admin = Admin.create(kafka.admin("lifeboat-topic-setup"))) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            NewTopic t = new NewTopic(topic, ownershipPartitions, replicationFactor)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(TimeUnit.HOURS.toMillis(1))));
            try {
                admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create " + topic + " on " + kafka.bootstrapServers() + ": " + e, e);
        }
    }

    /** Creates a topic outside {@link Topics#ALL} (a service's own state) when it is missing. */
    public void ensure(Topics.TopicSpec topic) {
        try (Admin admin = Admin.create(kafka.admin("lifeboat-topic-setup"))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic.name())) {
                create(admin, topic);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create " + topic.name() + " on " + kafka.bootstrapServers() + ": "
                    + e, e);
        }
    }

    private void create(Admin admin, Topics.TopicSpec t)
            throws InterruptedException, ExecutionException, TimeoutException {
        NewTopic topic = new NewTopic(t.name(), t.compacted() ? 1 : partitions, replicationFactor)
                .configs(t.compacted()
                        ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                        : Map.of());
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** The registry is the only copy of every cluster's spec: it must be compacted and replicated as configured. */
    private void checkRegistry(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CLUSTERS);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG) == null ? ""
                : config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        List<String> problems = new ArrayList<>();
        if (!List.of(policy.split(",")).contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            problems.add("cleanup.policy is '" + policy + "', so Kafka deletes registrations once they are old;"
                    + " it must be compact (kafka-configs --alter --entity-type topics --entity-name "
                    + Topics.CLUSTERS + " --add-config cleanup.policy=compact)");
        }
        TopicDescription description = admin.describeTopics(List.of(Topics.CLUSTERS)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(Topics.CLUSTERS);
        int replicas = description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        if (replicas < replicationFactor) {
            problems.add("it has " + replicas + " replica(s), fewer than lifeboat.topics.replication-factor="
                    + replicationFactor);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the cluster registry topic " + Topics.CLUSTERS + " is unsafe: "
                    + String.join("; ", problems));
        }
    }
}
