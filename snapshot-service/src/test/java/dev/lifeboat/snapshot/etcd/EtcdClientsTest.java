package dev.lifeboat.snapshot.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.grpc.Status;

class EtcdClientsTest {
    /** What grpc-core's keep-alive pinger closes the transport with (KeepAliveManager). */
    private static final String GRPC_KEEPALIVE = "Keepalive failed. The connection is likely gone";

    @Test
    void unansweredKeepAlivesAreAKeepAliveFailureWhereverTheyAreWrapped() {
        RuntimeException grpc = Status.UNAVAILABLE.withDescription(GRPC_KEEPALIVE).asRuntimeException();
        assertThat(EtcdClients.isKeepAliveFailure(grpc)).isTrue();
        assertThat(EtcdClients.isKeepAliveFailure(new CompletionException(new IllegalStateException("io", grpc)))).isTrue();
    }

    @Test
    void otherBrokenStreamsAreNot() {
        assertThat(EtcdClients.isKeepAliveFailure(Status.UNAVAILABLE.withDescription("io exception")
                .withCause(new IOException("Connection reset")).asRuntimeException())).isFalse();
        assertThat(EtcdClients.isKeepAliveFailure(Status.DEADLINE_EXCEEDED.asRuntimeException())).isFalse();
        assertThat(EtcdClients.isKeepAliveFailure(new CompletionException(new IOException("Connection reset")))).isFalse();
    }
}
