package dev.lifeboat.kit.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import dev.lifeboat.events.Topics;

/**
 * The Kafka topics a service consumes, read from its channel configuration
 * ({@code mp.messaging.incoming.<channel>.connector=smallrye-kafka}; the topic is the channel's
 * {@code topic} or, when unset, the channel name). Channel names may be quoted
 * ({@code mp.messaging.incoming."lifeboat.snapshots.taken".connector}).
 */
public final class ConsumedTopics {
    static final String INCOMING = "mp.messaging.incoming.";
    static final String KAFKA_CONNECTOR = "smallrye-kafka";

    static final String CONNECTOR_DEFAULTS = "mp.messaging.connector." + KAFKA_CONNECTOR + ".";

    private ConsumedTopics() {}

    /**
     * What breaks the one dead-letter policy: every Kafka channel fails a record it cannot use to
     * the topic's dead-letter topic ({@code failure-strategy=dead-letter-queue},
     * {@code dead-letter-queue.topic} = {@link Topics#deadLetter}), so a poison record is parked at
     * once and never blocks its partition. Empty when the configuration follows it.
     */
    public static List<String> deadLetterProblems(Iterable<String> propertyNames,
                                                  Function<String, Optional<String>> value) {
        List<String> problems = new ArrayList<>();
        byChannel(propertyNames, value).forEach((channel, topic) -> {
            String prefix = INCOMING + (channel.contains(".") ? "\"" + channel + "\"" : channel) + ".";
            String strategy = value.apply(prefix + "failure-strategy")
                    .or(() -> value.apply(CONNECTOR_DEFAULTS + "failure-strategy")).orElse("fail");
            if (!"dead-letter-queue".equals(strategy)) {
                problems.add(prefix + "failure-strategy is " + strategy + ", must be dead-letter-queue");
            }
            String deadLetter = value.apply(prefix + "dead-letter-queue.topic").orElse("(unset)");
            if (!Topics.deadLetter(topic).equals(deadLetter)) {
                problems.add(prefix + "dead-letter-queue.topic is " + deadLetter + ", must be " + Topics.deadLetter(topic));
            }
        });
        return problems;
    }

    /** Topic by channel name, sorted by channel. */
    public static Map<String, String> byChannel(Iterable<String> propertyNames, Function<String, Optional<String>> value) {
        Map<String, String> topics = new TreeMap<>();
        for (String name : propertyNames) {
            if (!name.startsWith(INCOMING) || !name.endsWith(".connector")) {
                continue;
            }
            String quoted = name.substring(INCOMING.length(), name.length() - ".connector".length());
            String channel = quoted.length() > 1 && quoted.startsWith("\"") && quoted.endsWith("\"")
                    ? quoted.substring(1, quoted.length() - 1) : quoted;
            if (channel.isEmpty() || (!quoted.startsWith("\"") && channel.contains("."))) {
                continue;
            }
            if (value.apply(name).filter(KAFKA_CONNECTOR::equals).isEmpty()) {
                continue;
            }
            topics.put(channel, value.apply(INCOMING + quoted + ".topic").orElse(channel));
        }
        return topics;
    }
}
