package dev.lifeboat.common.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free TCP ports on the loopback interface for servers this JVM starts (scratch etcd, and in
 * tests Kafka and S3). A port is handed out at most once per JVM: the operating system may offer
 * the same free port to two asks in a row, and two servers told the same port collide. A port can
 * still be taken by another process between the ask and the server's bind, so a launcher must be
 * ready to start again on new ports ({@link EtcdProcess} is).
 */
public final class LoopbackPorts {
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 1000;

    private LoopbackPorts() {}

    /** A port that was free a moment ago and was never handed out before in this JVM. */
    public static int next() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free loopback port", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no loopback port left that this JVM has not handed out already");
    }

    /** True when something accepts connections on the loopback address at {@code port}. */
    public static boolean isListening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
