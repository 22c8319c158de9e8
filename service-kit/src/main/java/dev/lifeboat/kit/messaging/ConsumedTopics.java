package dev.lifeboat.kit.messaging;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The Kafka topics a service consumes, read from its channel configuration
 * ({@code mp.messaging.incoming.<channel>.connector=smallrye-kafka}; the topic is the channel's
 * {@code topic} or, when unset, the channel name). Channel names may be quoted
 * ({@code mp.messaging.incoming."lifeboat.snapshots.taken".connector}).
 */
public final class ConsumedTopics {
    static final String INCOMING = "mp.messaging.incoming.";
    static final String KAFKA_CONNECTOR = "smallrye-kafka";

    private ConsumedTopics() {}

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
