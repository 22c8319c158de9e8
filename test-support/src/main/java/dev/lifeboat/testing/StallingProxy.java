package dev.lifeboat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A loopback TCP proxy in front of a server that can stop forwarding while keeping every
 * connection open: the server "accepts the connection and then sends nothing", as an etcd with a
 * stalled disk or an overloaded leader does. {@link #stallAfter(long)} lets each connection's
 * first bytes from the server through (handshakes, status calls) and then forwards nothing more
 * from the server (what the client sends still reaches the server), until {@link #resume()} lets
 * the held connections go on where they stopped, or the proxy is closed.
 * {@link #dropRequestsContaining(String)} cuts only the connections that send a given text (an
 * HTTP request for one object key, say): those requests fail with a dropped connection, every
 * other request goes through. {@link #holdResponsesTo(String, long)} stalls only the connections
 * that send a given text, a few bytes into the answer (a download held midway).
 * {@link #forgetIdleConnectionsAfter(Duration)} plays a server or middlebox whose keep-alive is
 * shorter than the client's pool eviction: a request sent on a connection that has been idle for
 * longer is never forwarded, and the connection is cut.
 */
public final class StallingProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Held connections wait on it; {@link #resume()} and {@link #close()} wake them. */
    private final Object gate = new Object();
    private final AtomicInteger held = new AtomicInteger();
    private final List<byte[]> dropMarkers = new CopyOnWriteArrayList<>();
    private final List<byte[]> holdMarkers = new CopyOnWriteArrayList<>();
    private volatile long holdAfterBytes;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger connectionsToStall = new AtomicInteger();
    /** Counts {@link #resume()} calls: a connection told to stall stalls until the next one. */
    private final AtomicLong resumes = new AtomicLong();
    private volatile boolean closed;
    private volatile long stallAfterBytes = Long.MAX_VALUE;
    /** Nanoseconds of idleness after which a connection is forgotten; 0: never. */
    private volatile long forgetIdleNanos;
    private final AtomicLong forgotten = new AtomicLong();

    private StallingProxy(InetSocketAddress target) {
        this.target = target;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("proxy-accept", this::accept).start();
    }

    /** A proxy forwarding everything to {@code host:port} until told to stall. */
    public static StallingProxy to(String host, int port) {
        return new StallingProxy(new InetSocketAddress(host, port));
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The proxy as an {@code http://} endpoint. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** From now on, every connection forwards at most {@code bytes} from the server, then nothing more. */
    public void stallAfter(long bytes) {
        stallAfterBytes = bytes;
    }

    /**
     * The next {@code count} connections forward nothing from the server (the server still gets what
     * the client sends); later ones forward as the proxy does otherwise: a member that misses one
     * answer and serves the next.
     */
    public void stallNextConnections(int count) {
        connectionsToStall.set(count);
    }

    /**
     * From now on, a connection on which the client sends {@code marker} (for HTTP, part of a
     * request line such as an object key) forwards at most {@code bytes} more from the server,
     * then nothing, until {@link #resume()}: that request's answer stops midway, every other
     * connection goes on.
     */
    public void holdResponsesTo(String marker, long bytes) {
        holdAfterBytes = bytes;
        holdMarkers.add(marker.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * From now on, a connection idle for longer than {@code idle} — its last bytes were an answer
     * from the server, nothing is on its way, and nothing more has come for that long — is
     * forgotten, as a server or a load balancer with that keep-alive forgets it: the client's next
     * request on it never reaches the server, and the connection is cut (the client sees it reset
     * or ended). Until {@link #resume()}.
     */
    public void forgetIdleConnectionsAfter(Duration idle) {
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("idle must be positive: " + idle);
        }
        forgetIdleNanos = idle.toNanos();
    }

    /** How many requests met a connection {@link #forgetIdleConnectionsAfter(Duration)} had forgotten. */
    public long requestsOnForgottenConnections() {
        return forgotten.get();
    }

    /** Forwards everything again: held connections go on with the bytes they were holding back; idle ones are kept. */
    public void resume() {
        synchronized (gate) {
            stallAfterBytes = Long.MAX_VALUE;
            forgetIdleNanos = 0;
            holdMarkers.clear();
            resumes.incrementAndGet();
            gate.notifyAll();
        }
    }

    /**
     * From now on, a connection on which the client sends {@code marker} (for HTTP, part of a
     * request line such as an object key) is closed before that request reaches the server: the
     * client sees the connection dropped, for that request and every retry of it. Each call adds
     * a marker; a connection sending any of them is cut.
     */
    public void dropRequestsContaining(String marker) {
        dropMarkers.add(marker.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** How many connections {@link #dropRequestsContaining(String)} has cut. */
    public long droppedRequests() {
        return dropped.get();
    }

    /** How many connections are held at the stall limit right now (a stream stopped midway). */
    public int heldConnections() {
        return held.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                try {
                    server.connect(target, 5_000);
                } catch (IOException refused) {
                    // the server is gone (killed): its client sees the connection closed, as without the proxy
                    closeQuietly(client);
                    closeQuietly(server);
                    continue;
                }
                sockets.add(client);
                sockets.add(server);
                AtomicLong fromServer = new AtomicLong();
                boolean stallThis = connectionsToStall.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                long epoch = resumes.get();
                LongSupplier stalled = stallThis ? () -> resumes.get() == epoch ? 0 : Long.MAX_VALUE : () -> stallAfterBytes;
                Hold hold = new Hold(fromServer);
                LongSupplier limit = () -> Math.min(stalled.getAsLong(), hold.limit());
                Idleness idleness = new Idleness();
                daemon("proxy-up", () -> pump(client, server, null, null, hold, idleness)).start();
                daemon("proxy-down", () -> pump(server, client, fromServer, limit, null, idleness)).start();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    /** A connection's limit from {@link #holdResponsesTo}: set when its client sends a marker, until a resume. */
    private final class Hold {
        private final AtomicLong fromServer;
        private volatile long at = Long.MAX_VALUE;
        private volatile long epoch;

        Hold(AtomicLong fromServer) {
            this.fromServer = fromServer;
        }

        void seen(byte[] buffer, int n) {
            if (at == Long.MAX_VALUE && holdMarkers.stream().anyMatch(m -> contains(buffer, n, m))) {
                epoch = resumes.get();
                at = fromServer.get() + holdAfterBytes;
            }
        }

        long limit() {
            return at != Long.MAX_VALUE && resumes.get() == epoch ? at : Long.MAX_VALUE;
        }
    }

    /** When a connection last forwarded bytes, which way, and whether some are on their way now. */
    private final class Idleness {
        private long lastNanos = System.nanoTime();
        private boolean lastFromClient;
        private int forwarding;

        /**
         * Bytes have come from one side: false if they are a request on a connection idle for longer
         * than {@link #forgetIdleNanos} (never forwarded), else true and they are on their way.
         */
        synchronized boolean begin(boolean fromClient) {
            long forgetAfter = forgetIdleNanos;
            if (fromClient && forgetAfter > 0 && forwarding == 0 && !lastFromClient
                    && System.nanoTime() - lastNanos > forgetAfter) {
                return false;
            }
            forwarding++;
            return true;
        }

        synchronized void end(boolean fromClient) {
            forwarding--;
            lastNanos = System.nanoTime();
            lastFromClient = fromClient;
        }
    }

    /**
     * Copies {@code from} → {@code to}; {@code counted} (server → client only) is held to the stall
     * limit; {@code hold} (client → server only) sees what the client sends.
     */
    private void pump(Socket from, Socket to, AtomicLong counted, LongSupplier limit, Hold hold, Idleness idleness) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                if (counted == null && dropMarkers.stream().anyMatch(m -> contains(buffer, n, m))) {
                    dropped.incrementAndGet();
                    return; // finally closes both sides: the request never reaches the server
                }
                boolean fromClient = counted == null;
                if (!idleness.begin(fromClient)) {
                    forgotten.incrementAndGet();
                    return; // finally cuts both sides: the request never reaches the server
                }
                if (hold != null) {
                    hold.seen(buffer, n);
                }
                int sent = 0;
                while (sent < n) {
                    int allowed = n - sent;
                    if (counted != null) {
                        if (!awaitRoom(counted, limit)) {
                            return; // closed while held
                        }
                        allowed = (int) Math.min(allowed, limit.getAsLong() - counted.get());
                        counted.addAndGet(allowed);
                    }
                    out.write(buffer, sent, allowed);
                    out.flush();
                    sent += allowed;
                }
                idleness.end(fromClient);
            }
        } catch (IOException e) {
            // one side closed; the other follows
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Holds the connection while it is at the stall limit; false once the proxy is closed. */
    private boolean awaitRoom(AtomicLong counted, LongSupplier limit) throws InterruptedException {
        synchronized (gate) {
            if (!closed && counted.get() >= limit.getAsLong()) {
                held.incrementAndGet();
                try {
                    while (!closed && counted.get() >= limit.getAsLong()) {
                        gate.wait();
                    }
                } finally {
                    held.decrementAndGet();
                }
            }
            return !closed;
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        synchronized (gate) {
            closed = true;
            gate.notifyAll();
        }
        closeQuietly(listener);
        sockets.forEach(StallingProxy::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
