package dev.lifeboat.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.lifeboat.common.etcd.LoopbackPorts;

/**
 * A built Lifeboat service ({@code target/quarkus-app/quarkus-run.jar}, there from the
 * {@code package} phase on, so in failsafe's integration tests) running as a child JVM on a free
 * loopback HTTP port, as it runs in production: its configuration is the {@code
 * config/application.properties} of its working directory (where Quarkus reads an operator's
 * settings), so no secret appears on a command line. {@link #kill()} is a crash (SIGKILL),
 * {@link #stop(Duration)} a planned stop (SIGTERM). Several replicas of one service can run side by side.
 */
public final class ServiceProcess implements AutoCloseable {
    /** The exit code of a JVM that ran its shutdown to the end after SIGTERM (128 + 15). */
    public static final int STOPPED = 143;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final ServerProcess process;

    private ServiceProcess(String name, int port, ServerProcess process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts the service of {@code moduleDir} (its built jar) with {@code config} (property names
     * as in {@code application.properties}) and waits until {@code /q/health/ready} answers 200.
     *
     * @param name a name for logs and the working directory, e.g. {@code snapshot-service-1}
     * @param dir  where its working directory and log go
     */
    public static ServiceProcess start(String name, Path moduleDir, Map<String, String> config, Path dir,
                                       Duration readyTimeout) {
        return start(name, moduleDir, config, dir, readyTimeout, "256m");
    }

    /**
     * {@link #start(String, Path, Map, Path, Duration)} with a heap of {@code maxHeap} ({@code -Xmx}
     * syntax) instead of 256 MB: for a test that runs more snapshots at once than that holds (each
     * upload keeps two 16 MiB part buffers).
     */
    public static ServiceProcess start(String name, Path moduleDir, Map<String, String> config, Path dir,
                                       Duration readyTimeout, String maxHeap) {
        Path jar = moduleDir.resolve("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: package the service first (./mvnw package)");
        }
        int port = LoopbackPorts.next();
        Path work = dir.resolve(name);
        Properties settings = new Properties();
        settings.putAll(config);
        settings.put("quarkus.http.port", Integer.toString(port));
        settings.put("quarkus.http.host", "127.0.0.1");
        try {
            Files.createDirectories(work.resolve("config"));
            try (OutputStream out = Files.newOutputStream(work.resolve("config/application.properties"))) {
                settings.store(out, "written by ServiceProcess for " + name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerProcess process = ServerProcess.start(name, List.of(ServerProcess.javaExecutable(),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()),
                work, work.resolve(name + ".log"));
        ServiceProcess service = new ServiceProcess(name, port, process);
        process.awaitReady(service::isReady, readyTimeout);
        return service;
    }

    /** True while {@code /q/health/ready} answers 200. */
    public boolean isReady() {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/q/health/ready")))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>} followed by {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return process.log();
    }

    public String tail() {
        return process.tail();
    }

    /** A crash: SIGKILL, no shutdown hook runs, Kafka sees the replica only go silent. */
    public void kill() {
        process.kill();
    }

    /**
     * A planned stop (SIGTERM: the service's shutdown runs), forcibly (SIGKILL) after {@code grace};
     * returns the exit code: {@link #STOPPED} when the shutdown ran to its end, 137 when it was killed.
     */
    public int stop(Duration grace) {
        return process.stop(grace);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(30));
        }
    }
}
