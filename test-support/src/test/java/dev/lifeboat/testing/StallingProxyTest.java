package dev.lifeboat.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StallingProxy#forgetIdleConnectionsAfter(Duration)} in front of a loopback line server
 * that answers each line: a request after a pause shorter than the keep-alive goes through, one
 * after a longer pause never reaches the server and its connection is cut, a new connection
 * works, and after {@link StallingProxy#resume()} idle connections are kept. The pauses are the
 * fault being injected, so they are real, short waits.
 */
class StallingProxyTest {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);

    private ServerSocket server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private StallingProxy proxy;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread answer = new Thread(() -> answer(s));
                    answer.setDaemon(true);
                    answer.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
        proxy = StallingProxy.to("127.0.0.1", server.getLocalPort());
    }

    private void answer(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
             OutputStream out = s.getOutputStream()) {
            String line;
            while ((line = in.readLine()) != null) {
                received.add(line);
                out.write(("ok " + line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the connection was cut
        }
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        server.close();
    }

    @Test
    void aRequestOnAConnectionIdleLongerThanTheKeepAliveNeverReachesTheServer() throws Exception {
        proxy.forgetIdleConnectionsAfter(KEEP_ALIVE);
        try (Connection c = new Connection(proxy.port())) {
            assertThat(c.ask("a")).isEqualTo("ok a");
            assertThat(c.ask("b")).as("at once, well within the keep-alive").isEqualTo("ok b");
            Thread.sleep(KEEP_ALIVE.multipliedBy(3).toMillis()); // the idle gap
            assertThat(c.ask("c")).as("after the idle gap").isNull();
        }
        assertThat(received).containsExactly("a", "b");
        assertThat(proxy.requestsOnForgottenConnections()).isEqualTo(1);
        try (Connection fresh = new Connection(proxy.port())) {
            assertThat(fresh.ask("d")).as("on a new connection").isEqualTo("ok d");
        }
    }

    @Test
    void afterAResumeIdleConnectionsAreKept() throws Exception {
        proxy.forgetIdleConnectionsAfter(KEEP_ALIVE);
        try (Connection c = new Connection(proxy.port())) {
            assertThat(c.ask("a")).isEqualTo("ok a");
            proxy.resume();
            Thread.sleep(KEEP_ALIVE.multipliedBy(3).toMillis()); // the idle gap
            assertThat(c.ask("b")).isEqualTo("ok b");
        }
        assertThat(proxy.requestsOnForgottenConnections()).isZero();
    }

    /** One client connection that sends a line and reads the answer; null when the connection was cut. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;

        Connection(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        String ask(String line) {
            try {
                socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                return in.readLine();
            } catch (IOException cut) {
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
