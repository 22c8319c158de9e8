package dev.lifeboat.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.testing.KafkaBroker;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.TokenMinter;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;

/**
 * Starts the local stack's servers with the same launchers the tests use: an etcd seeded with
 * Kubernetes-like keys, a KRaft Kafka broker and two S3 servers (primary and secondary region),
 * and a token key pair with a 30-day token per role. Writes their addresses, the public key's
 * path and the tokens to {@code <dir>/stack.properties} and runs until it is stopped; stopping
 * it stops them.
 */
public final class LocalStack {
    private LocalStack() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LocalStack <state-dir>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(dir);
        List<AutoCloseable> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    System.err.println("stopping: " + e.getMessage());
                }
            }
        }));
        try {
            EtcdServer etcd = EtcdServer.start(dir.resolve("etcd"));
            started.add(etcd);
            seed(etcd);
            KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
            started.add(kafka);
            S3Server primary = S3Server.start(dir.resolve("s3-primary"));
            started.add(primary);
            S3Server secondary = S3Server.start(dir.resolve("s3-secondary"));
            started.add(secondary);
            // the stack's own identity provider: a key pair, the public half for the services, a token per role
            TokenMinter tokens = TokenMinter.generate();
            Path publicKey = tokens.writePublicKey(dir.resolve("token-public-key.pem"));
            Duration validFor = Duration.ofDays(30);
            String props = String.join("\n",
                    "etcd.endpoint=" + etcd.clientUrl(),
                    "token.public-key=" + publicKey,
                    "token.issuer=" + TokenMinter.ISSUER,
                    "token.viewer=" + tokens.token("local-viewer", validFor, TokenMinter.VIEWER),
                    "token.operator=" + tokens.token("local-operator", validFor, TokenMinter.OPERATOR),
                    "token.admin=" + tokens.token("local-admin", validFor, TokenMinter.ADMIN),
                    "token.metrics=" + tokens.token("local-scraper", validFor, TokenMinter.METRICS),
                    "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
                    "s3.primary.endpoint=" + primary.endpoint(),
                    "s3.secondary.endpoint=" + secondary.endpoint(),
                    "s3.access-key=" + S3Server.ACCESS_KEY,
                    "s3.secret-key=" + S3Server.SECRET_KEY,
                    "");
            Path tmp = dir.resolve("stack.properties.tmp");
            Files.writeString(tmp, props);
            Files.move(tmp, dir.resolve("stack.properties"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.println("local stack servers ready:\n" + props.lines()
                    .filter(l -> !l.startsWith("token.") && !l.contains("secret")).collect(Collectors.joining("\n")));
        } catch (RuntimeException e) {
            System.err.println("local stack could not start: " + e.getMessage());
            System.exit(1);
        }
        new CountDownLatch(1).await();
    }

    private static void seed(EtcdServer etcd) {
        try (Client client = Client.builder().endpoints(etcd.clientUrl()).build()) {
            for (Map.Entry<String, byte[]> e : KubernetesSeed.objects().entrySet()) {
                client.getKVClient().put(ByteSequence.from(e.getKey().getBytes()), ByteSequence.from(e.getValue())).join();
            }
        }
    }
}
