package dev.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource: one real Kafka broker and two real S3 servers (regions {@code primary}
 * and {@code secondary}), started once per test JVM and shared by every test class.
 * Use with {@code @QuarkusTestResource(LifeboatInfrastructure.class)}; tests reach the servers
 * through {@link #servers()}.
 */
public class LifeboatInfrastructure implements QuarkusTestResourceLifecycleManager {
    public static final String PRIMARY = "primary";
    public static final String SECONDARY = "secondary";
    public static final String BUCKET = "lifeboat";

    /** The running servers, shared by every test class of the JVM. */
    public record Servers(Path dir, KafkaBroker kafka, S3Server primary, S3Server secondary) {
        public S3Server s3(String region) {
            return PRIMARY.equals(region) ? primary : secondary;
        }
    }

    private static Servers servers;

    public static synchronized Servers servers() {
        if (servers == null) {
            try {
                Path dir = Files.createTempDirectory("lifeboat-it-");
                servers = new Servers(dir, KafkaBroker.start(dir.resolve("kafka")),
                        S3Server.start(dir.resolve("s3-primary")), S3Server.start(dir.resolve("s3-secondary")));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    servers.kafka().close();
                    servers.primary().close();
                    servers.secondary().close();
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return servers;
    }

    /**
     * The configuration keys every Lifeboat service reads, pointing at the shared servers, and
     * trusting the tokens of {@link TokenMinter#shared()}.
     */
    public static Map<String, String> config() {
        Servers s = servers();
        Map<String, String> config = new HashMap<>(TokenMinter.shared().verificationConfig());
        config.putAll(Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", s.kafka().bootstrapServers()),
                Map.entry("lifeboat.primary-region", PRIMARY),
                Map.entry("lifeboat.regions.primary.endpoint", s.primary().endpoint()),
                Map.entry("lifeboat.regions.primary.access-key", S3Server.ACCESS_KEY),
                Map.entry("lifeboat.regions.primary.secret-key", S3Server.SECRET_KEY),
                Map.entry("lifeboat.regions.primary.bucket", BUCKET),
                Map.entry("lifeboat.regions.secondary.endpoint", s.secondary().endpoint()),
                Map.entry("lifeboat.regions.secondary.access-key", S3Server.ACCESS_KEY),
                Map.entry("lifeboat.regions.secondary.secret-key", S3Server.SECRET_KEY),
                Map.entry("lifeboat.regions.secondary.bucket", BUCKET)));
        return config;
    }

    @Override
    public Map<String, String> start() {
        return config();
    }

    @Override
    public void stop() {
        // shared across test classes; stopped when the JVM exits
    }
}
