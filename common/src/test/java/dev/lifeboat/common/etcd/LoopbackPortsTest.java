package dev.lifeboat.common.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LoopbackPortsTest {
    @Test
    void noPortIsHandedOutTwice() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            assertThat(seen.add(LoopbackPorts.next())).as("port %d handed out again", i).isTrue();
        }
    }

    @Test
    void aHandedOutPortWasFreeAndCanBeBound() throws IOException {
        int port = LoopbackPorts.next();
        assertThat(LoopbackPorts.isListening(port)).isFalse();
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(LoopbackPorts.isListening(port)).isTrue();
        }
    }
}
