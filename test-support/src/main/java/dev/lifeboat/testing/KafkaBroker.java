package dev.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A real Kafka 4 broker in KRaft combined mode (broker and controller in one process), run as a
 * child JVM from Maven Central's Kafka jars on free loopback ports.
 */
public final class KafkaBroker implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private ServerProcess process;

    private KafkaBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = FreePorts.next();
    }

    public static KafkaBroker start(Path dir) {
        return start(dir, FreePorts.next());
    }

    public static KafkaBroker start(Path dir, int port) {
        KafkaBroker broker = new KafkaBroker(dir, port);
        broker.format();
        broker.start();
        return broker;
    }

    private Path properties() {
        return dir.resolve("server.properties");
    }

    private void format() {
        try {
            Files.createDirectories(dir);
            Files.writeString(properties(), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
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
        Commands.check(List.of(ServerProcess.javaExecutable(), "-cp", Classpaths.of("kafka"),
                "kafka.tools.StorageTool", "format", "-t", UUID.randomUUID().toString().substring(0, 22)
                        .replace("-", "A"), "-c", properties().toString()));
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
        process.awaitReady(() -> FreePorts.isListening(port) && logSays("Kafka Server started"), Duration.ofSeconds(60));
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
