package dev.lifeboat.snapshot.etcd;

import java.io.File;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

import javax.net.ssl.SSLException;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.FailureReason;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.Status;

/**
 * Builds jetcd clients bound to ONE endpoint: a multi-endpoint client round-robins members, and a
 * snapshot must come from the member that was chosen.
 */
public final class EtcdClients {
    /** The default gRPC keep-alive: a ping after 10 s without a frame, 5 s to answer it. */
    public static final Duration KEEPALIVE_TIME = Duration.ofSeconds(10);
    public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(5);

    private EtcdClients() {}

    /** @param callbacks where jetcd runs its callbacks; null = a pool of the client's own (closed with it) */
    public static Client forEndpoint(String endpoint, ClusterSpec.TlsFiles tls, Duration connectTimeout,
                                     ExecutorService callbacks) {
        return forEndpoint(endpoint, tls, connectTimeout, callbacks, KEEPALIVE_TIME, KEEPALIVE_TIMEOUT);
    }

    /** {@link #forEndpoint(String, ClusterSpec.TlsFiles, Duration, ExecutorService)} with a keep-alive of its own. */
    public static Client forEndpoint(String endpoint, ClusterSpec.TlsFiles tls, Duration connectTimeout,
                                     ExecutorService callbacks, Duration keepaliveTime, Duration keepaliveTimeout) {
        ClientBuilder builder = Client.builder()
                .endpoints(endpoint)
                .connectTimeout(connectTimeout)
                .retryMaxAttempts(0)
                .retryMaxDuration(connectTimeout)
                .keepaliveTime(keepaliveTime)
                .keepaliveTimeout(keepaliveTimeout);
        if (callbacks != null) {
            builder.executorService(callbacks);
        }
        if (endpoint.startsWith("https://") || tls != null) {
            try {
                builder.sslContext(ssl -> {
                    if (tls != null && tls.caFile() != null) {
                        ssl.trustManager(new File(tls.caFile()));
                    }
                    if (tls != null && tls.certFile() != null) {
                        ssl.keyManager(new File(tls.certFile()), new File(tls.keyFile()));
                    }
                });
            } catch (SSLException | RuntimeException e) {
                throw new EtcdFailure(FailureReason.TLS_CONFIG_INVALID,
                        "cannot use the TLS files of the cluster (keys must be PKCS#8 PEM): " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    /**
     * True when gRPC gave up on the connection because its keep-alive pings (by default every 10 s, 5 s to
     * answer) went unanswered: the member, or the network to it, went silent.
     */
    public static boolean isKeepAliveFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Status status = Status.fromThrowable(t);
            String description = status.getCode() == Status.Code.UNAVAILABLE ? status.getDescription() : t.getMessage();
            if (description != null && description.contains("Keepalive failed")) {
                return true;
            }
        }
        return false;
    }
}
