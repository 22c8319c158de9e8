package dev.lifeboat.kit.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How every Kafka client a service builds by hand (event producer, registry consumer, admin)
 * reaches the brokers: the connection and security part of the operator's {@code kafka.*}
 * settings, the same ones the SmallRye channels get. So {@code kafka.security.protocol},
 * {@code kafka.ssl.*} and {@code kafka.sasl.*} reach every client, not only the channels.
 */
public final class KafkaClientConfig {
    /** Keys taken as they are; everything under {@code ssl.} and {@code sasl.} is taken too. */
    private static final Set<String> CONNECTION_KEYS = Set.of(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
            CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG,
            CommonClientConfigs.CONNECTIONS_MAX_IDLE_MS_CONFIG,
            CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG,
            CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG);
    /** Longest wait for one request; a publish leaves room for retries within its own time limit. */
    static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> connection;

    private KafkaClientConfig(Map<String, Object> connection) {
        this.connection = Map.copyOf(connection);
    }

    /**
     * @param kafkaSettings the {@code kafka.*} settings without their prefix, e.g.
     *                      {@code bootstrap.servers}, {@code security.protocol}, {@code sasl.mechanism}
     */
    public static KafkaClientConfig of(Map<String, ?> kafkaSettings) {
        Map<String, Object> connection = new TreeMap<>();
        kafkaSettings.forEach((key, value) -> {
            if (value != null && (CONNECTION_KEYS.contains(key) || key.startsWith("ssl.") || key.startsWith("sasl."))) {
                connection.put(key, value);
            }
        });
        Object servers = connection.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || servers.toString().isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap.servers is not set");
        }
        return new KafkaClientConfig(connection);
    }

    /** A plaintext connection to {@code bootstrapServers} (tests, the local stack). */
    public static KafkaClientConfig bootstrap(String bootstrapServers) {
        return of(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    public String bootstrapServers() {
        return connection.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG).toString();
    }

    /**
     * An idempotent, {@code acks=all} producer whose {@code send} is acknowledged or failed within
     * {@code deliveryTimeout}. One request may take at most a third of it (at most 10 s), so a
     * request lost on a silently dropped connection is retried inside the same publish.
     */
    public Properties producer(String clientId, Duration deliveryTimeout) {
        long delivery = Math.max(deliveryTimeout.toMillis(), 3_000);
        long request = Math.min(delivery / 3, MAX_REQUEST_TIMEOUT.toMillis());
        Properties p = base(clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) request);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, delivery);
        return p;
    }

    /** A consumer without a group: it assigns itself partitions and commits nothing. */
    public Properties consumer(String clientId) {
        Properties p = base(clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    public Properties admin(String clientId) {
        return base(clientId);
    }

    private Properties base(String clientId) {
        Properties p = new Properties();
        p.putAll(connection);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    /** The setting names (never their values: they may hold secrets), for logs. */
    @Override
    public String toString() {
        return "kafka " + bootstrapServers() + " with " + connection.keySet();
    }
}
