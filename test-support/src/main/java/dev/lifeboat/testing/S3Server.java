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
 * loopback port. Can be stopped and started again on the same port and data, to play an outage.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "lifeboat";
    public static final String SECRET_KEY = "lifeboat-secret-key";

    private final Path dir;
    private final int port;
    private ServerProcess process;

    private S3Server(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static S3Server start(Path dir) {
        return start(dir, LoopbackPorts.next());
    }

    public static S3Server start(Path dir, int port) {
        S3Server server = new S3Server(dir, port);
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
            Files.writeString(props, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
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
        return "http://127.0.0.1:" + port;
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
