package dev.lifeboat.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates Lifeboat's topics when missing (the registry must be compacted, which auto-creation would not do). */
public final class TopicSetup {
    private TopicSetup() {}

    /**
     * Creates every Lifeboat topic that is missing, plus the dead-letter topic of each topic in
     * {@code consumed} (where the calling service parks records it cannot decode).
     */
    public static void ensureTopics(String bootstrapServers, int partitions, short replicationFactor,
                                    String... consumed) {
        List<Topics.TopicSpec> wanted = new ArrayList<>(Topics.ALL);
        for (String topic : consumed) {
            wanted.add(new Topics.TopicSpec(Topics.deadLetter(topic), false));
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), t.compacted() ? 1 : partitions, replicationFactor)
                            .configs(t.compacted()
                                    ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                                    : Map.of()))
                    .toList();
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create Lifeboat topics on " + bootstrapServers + ": " + e, e);
        }
    }
}
