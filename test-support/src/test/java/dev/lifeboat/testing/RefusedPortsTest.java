package dev.lifeboat.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

import org.junit.jupiter.api.Test;

class RefusedPortsTest {
    @Test
    void aHeldPortRefusesConnectionsAndCannotBeBoundByAServer() throws Exception {
        try (RefusedPorts ports = RefusedPorts.hold(2)) {
            for (String url : ports.urls()) {
                int port = URI.create(url).getPort();
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                    }
                }).isInstanceOf(ConnectException.class);
                // a server that would reuse the address, as etcd's and most servers' listeners do
                assertThatThrownBy(() -> {
                    try (ServerSocket server = new ServerSocket()) {
                        server.setReuseAddress(true);
                        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    }
                }).isInstanceOf(BindException.class);
            }
        }
    }
}
