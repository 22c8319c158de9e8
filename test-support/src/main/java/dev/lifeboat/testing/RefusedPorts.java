package dev.lifeboat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback ports that refuse connections for as long as this holds them: each is bound by a
 * socket of this JVM that never listens (and does not allow address reuse), so a connection to it
 * is refused at once, and no other process can bind it meanwhile. A port that is merely free is
 * not dead: with tests of several modules running side by side, another JVM's etcd or broker can
 * take it while a test still counts it as dead, and then it answers.
 */
public final class RefusedPorts implements AutoCloseable {
    private final List<Socket> held;

    private RefusedPorts(List<Socket> held) {
        this.held = held;
    }

    /** Holds {@code count} ports. */
    public static RefusedPorts hold(int count) {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Socket s = new Socket();
                held.add(s);
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            }
        } catch (IOException e) {
            held.forEach(RefusedPorts::closeQuietly);
            throw new UncheckedIOException("cannot hold a loopback port", e);
        }
        return new RefusedPorts(held);
    }

    /** {@code http://127.0.0.1:<port>} of each held port, as an endpoint nobody answers on. */
    public List<String> urls() {
        return held.stream().map(s -> "http://127.0.0.1:" + s.getLocalPort()).toList();
    }

    /** The first held port's URL. */
    public String url() {
        return urls().get(0);
    }

    @Override
    public void close() {
        held.forEach(RefusedPorts::closeQuietly);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
