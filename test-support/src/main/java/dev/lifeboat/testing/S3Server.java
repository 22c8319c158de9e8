package dev.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.lifeboat.common.etcd.LoopbackPorts;

/**
 * A real S3-compatible server (S3Proxy on a file-system store), run as a child JVM on a free
 * loopback port, over http or, with {@link #startTls}, https only. Can be stopped and started again on the same port and data, to play an outage.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "lifeboat";
    public static final String SECRET_KEY = "lifeboat-secret-key";

    private static final String KEYSTORE_PASSWORD = "lifeboat-keystore";

    private final Path dir;
    private final int port;
    /** Null: plain http; else the server certificate it serves https with (trusted by {@code tls.caCert()}). */
    private final TlsBundle tls;
    private ServerProcess process;

    private S3Server(Path dir, int port, TlsBundle tls) {
        this.dir = dir;
        this.port = port;
        this.tls = tls;
    }

    public static S3Server start(Path dir) {
        return start(dir, LoopbackPorts.next());
    }

    public static S3Server start(Path dir, int port) {
        S3Server server = new S3Server(dir, port, null);
        server.start();
        return server;
    }

    /** A server that speaks only https, with {@code tls}'s server certificate (for 127.0.0.1, signed by its CA). */
    public static S3Server startTls(Path dir, TlsBundle tls) {
        S3Server server = new S3Server(dir, LoopbackPorts.next(), tls);
        server.start();
        return server;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        Path props = dir.resolve("s3proxy.properties");
        try {
            Files.createDirectories(dir.resolve("data"));
            String listen = tls == null ? "s3proxy.endpoint=" + endpoint()
                    : "s3proxy.secure-endpoint=" + endpoint() + "\n"
                    + "s3proxy.keystore-path=" + keystore() + "\n"
                    + "s3proxy.keystore-password=" + KEYSTORE_PASSWORD;
            Files.writeString(props, String.join("\n",
                    listen,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dir.resolve("data"),
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = ServerProcess.start("s3proxy-" + port, List.of(ServerProcess.javaExecutable(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", Classpaths.of("s3proxy"), "org.gaul.s3proxy.Main", "--properties", props.toString()),
                dir.resolve("s3proxy.log"));
        process.awaitReady(() -> LoopbackPorts.isListening(port), Duration.ofSeconds(60));
    }

    public String endpoint() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    /** The server certificate and key as a PKCS#12 keystore, the form S3Proxy (Jetty) reads. */
    private Path keystore() {
        Path keystore = dir.resolve("s3proxy.p12");
        if (!Files.exists(keystore)) {
            Commands.check(List.of("openssl", "pkcs12", "-export", "-in", tls.serverCert().toString(),
                    "-inkey", tls.serverKey().toString(), "-name", "s3proxy", "-out", keystore.toString(),
                    "-passout", "pass:" + KEYSTORE_PASSWORD));
        }
        return keystore;
    }

    public int port() {
        return port;
    }

    /** Where the file-system store keeps buckets (one folder each), for tests that tamper with objects. */
    public Path dataDir() {
        return dir.resolve("data");
    }

    /**
     * Runs {@code aws s3api <args> --bucket <bucket>} against this server and returns its text
     * output: an independent client, for what Lifeboat's own adapter should not be trusted to
     * check (or to set up, such as an upload a crash left unfinished).
     */
    public String s3api(String bucket, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("env", "AWS_ACCESS_KEY_ID=" + ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY=" + SECRET_KEY, "AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=",
                "aws", "--endpoint-url", endpoint(), "s3api"));
        if (tls != null) {
            command.addAll(List.of("--ca-bundle", tls.caCert().toString()));
        }
        command.addAll(List.of(args));
        command.addAll(List.of("--bucket", bucket, "--output", "text"));
        return Commands.check(command);
    }

    /** Keys with a multipart upload started and neither completed nor aborted, as the AWS CLI lists them. */
    public List<String> pendingUploadKeys(String bucket) {
        return s3api(bucket, "list-multipart-uploads", "--query", "Uploads[].Key").lines()
                .flatMap(l -> java.util.Arrays.stream(l.split("\\s+")))
                .filter(k -> !k.isBlank() && !k.equals("None"))
                .toList();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server, like an outage of the region. {@link #start()} brings it back. */
    public synchronized void stop() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
        }
    }
}
