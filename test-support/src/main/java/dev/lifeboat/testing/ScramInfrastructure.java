package dev.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource: the {@link LifeboatInfrastructure} S3 servers with, instead of its
 * plaintext broker, a Kafka broker that requires SASL/SCRAM. The service under test gets the
 * credentials only as the operator would give them ({@code kafka.security.protocol},
 * {@code kafka.sasl.*}), so a client that does not take them from the kit's configuration
 * cannot connect. One broker per test JVM. Use it through {@link ScramProfile}, which keeps the
 * module's plaintext broker out of that test's configuration.
 */
public class ScramInfrastructure implements QuarkusTestResourceLifecycleManager {
    private static KafkaBroker broker;

    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            try {
                broker = KafkaBroker.startWithScram(Files.createTempDirectory("lifeboat-scram-").resolve("kafka"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        }
        return broker;
    }

    /** Client settings with the broker's credentials (no {@code kafka.} prefix). */
    public static Map<String, Object> clientSettings() {
        Map<String, Object> settings = new HashMap<>(broker().clientSecurity());
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers());
        return settings;
    }

    /** A record sent with the credentials, e.g. onto a topic the service consumes. */
    public static void send(String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clientSettings(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic + " on the SCRAM broker", e);
        }
    }

    /** A recorder of topics on the SCRAM broker, reading with the credentials. */
    public static TopicRecorder recorder(String... topics) {
        Map<String, String> security = broker().clientSecurity();
        return new TopicRecorder(broker().bootstrapServers(), security, topics);
    }

    /**
     * Whether a client without credentials is refused: it cannot even describe the cluster
     * within {@code timeout} (the broker closes its unauthenticated connections).
     */
    public static boolean refusesClientsWithoutCredentials(Duration timeout) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return true;
        }
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(LifeboatInfrastructure.config());
        config.put("kafka.bootstrap.servers", broker().bootstrapServers());
        broker().clientSecurity().forEach((k, v) -> config.put("kafka." + k, v));
        return config;
    }

    @Override
    public void stop() {
        // shared across test classes; stopped when the JVM exits
    }
}
