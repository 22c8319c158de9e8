package dev.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.lifeboat.common.etcd.LoopbackPorts;

/**
 * A real Kafka 4 broker in KRaft combined mode (broker and controller in one process), run as a
 * child JVM from Maven Central's Kafka jars on free loopback ports. {@link #startWithScram} makes
 * one whose only client listener requires SASL/SCRAM-SHA-256 credentials.
 */
public final class KafkaBroker implements AutoCloseable {
    /** The SCRAM user of a {@link #startWithScram} broker. */
    public static final String SCRAM_USER = "lifeboat";
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-256";

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String scramPassword;
    private ServerProcess process;

    private KafkaBroker(Path dir, int port, String scramPassword) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = LoopbackPorts.next();
        this.scramPassword = scramPassword;
    }

    public static KafkaBroker start(Path dir) {
        return start(dir, LoopbackPorts.next());
    }

    public static KafkaBroker start(Path dir, int port) {
        KafkaBroker broker = new KafkaBroker(dir, port, null);
        broker.format();
        broker.start();
        return broker;
    }

    /** A broker that refuses clients without the SCRAM credentials of {@link #clientSecurity()}. */
    public static KafkaBroker startWithScram(Path dir) {
        KafkaBroker broker = new KafkaBroker(dir, LoopbackPorts.next(), UUID.randomUUID().toString());
        broker.format();
        broker.start();
        return broker;
    }

    /**
     * The client settings this broker needs, without the {@code kafka.} prefix ({@code
     * security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}); empty for a plaintext broker.
     */
    public Map<String, String> clientSecurity() {
        if (scramPassword == null) {
            return Map.of();
        }
        return Map.of("security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", SCRAM_MECHANISM,
                "sasl.jaas.config", jaas(SCRAM_USER, scramPassword));
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private Path properties() {
        return dir.resolve("server.properties");
    }

    private void format() {
        try {
            Files.createDirectories(dir);
            String listener = scramPassword == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
            Files.writeString(properties(), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=" + listener + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=" + listener + "://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=" + listener,
                    "listener.security.protocol.map=" + listener + ":" + listener + ",CONTROLLER:PLAINTEXT",
                    scramPassword == null ? "" : String.join("\n",
                            "sasl.enabled.mechanisms=" + SCRAM_MECHANISM,
                            "sasl.mechanism.inter.broker.protocol=" + SCRAM_MECHANISM,
                            "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config="
                                    + jaas(SCRAM_USER, scramPassword)),
                    "log.dirs=" + dir.resolve("logs"),
                    "num.partitions=3",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=3",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=true",
                    "log.cleaner.backoff.ms=1000",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> format = new ArrayList<>(List.of(ServerProcess.javaExecutable(), "-cp", Classpaths.of("kafka"),
                "kafka.tools.StorageTool", "format", "-t", UUID.randomUUID().toString().substring(0, 22)
                        .replace("-", "A"), "-c", properties().toString()));
        if (scramPassword != null) {
            // KRaft keeps SCRAM credentials in its metadata log: they are written when it is formatted
            format.addAll(List.of("--add-scram", SCRAM_MECHANISM + "=[name=" + SCRAM_USER + ",password="
                    + scramPassword + "]"));
        }
        Commands.check(format);
    }

    /** Starts (again) with the same ports and log directory. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        process = ServerProcess.start("kafka-" + port, List.of(ServerProcess.javaExecutable(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                "-cp", Classpaths.of("kafka"), "kafka.Kafka", properties().toString()),
                dir.resolve("kafka.log"));
        process.awaitReady(() -> LoopbackPorts.isListening(port) && logSays("Kafka Server started"), Duration.ofSeconds(60));
    }

    private boolean logSays(String text) {
        try {
            return Files.readString(process.log()).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
        }
    }
}
