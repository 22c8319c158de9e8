package dev.lifeboat.snapshot.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.lifeboat.events.ClusterSpec;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;

/**
 * Asks every registered endpoint for its status at the same time, each through its own
 * single-endpoint client. The clients stay open until the result is closed, so the snapshot
 * reuses the connection of the member it chose.
 */
public final class ClusterProbe {
    private ClusterProbe() {}

    /** Who answered, who did not and why; closing it closes every client. */
    public static final class Result implements AutoCloseable {
        private final List<MemberStatus> reachable;
        private final Map<String, String> errors;
        private final Map<String, Client> clients;

        Result(List<MemberStatus> reachable, Map<String, String> errors, Map<String, Client> clients) {
            this.reachable = reachable;
            this.errors = errors;
            this.clients = clients;
        }

        public List<MemberStatus> reachable() {
            return reachable;
        }

        public Map<String, String> errors() {
            return errors;
        }

        public MemberStatus chooseSource() {
            return SnapshotSourceChooser.choose(reachable, errors);
        }

        /** The open client bound to {@code endpoint}. */
        public Client clientFor(String endpoint) {
            return clients.get(endpoint);
        }

        @Override
        public void close() {
            clients.values().forEach(Client::close);
        }
    }

    public static Result probe(ClusterSpec spec, Duration timeout) {
        Map<String, Client> clients = new LinkedHashMap<>();
        Map<String, CompletableFuture<StatusResponse>> calls = new LinkedHashMap<>();
        try {
            for (String endpoint : spec.endpoints()) {
                Client client = EtcdClients.forEndpoint(endpoint, spec.tls(), timeout);
                clients.put(endpoint, client);
                calls.put(endpoint, client.getMaintenanceClient().statusMember(endpoint));
            }
        } catch (RuntimeException e) {
            clients.values().forEach(Client::close);
            throw e;
        }
        List<MemberStatus> reachable = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        calls.forEach((endpoint, call) -> {
            try {
                StatusResponse s = call.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                reachable.add(new MemberStatus(endpoint, s.getHeader().getMemberId(), s.getLeader(),
                        s.getHeader().getRevision(), s.getRaftIndex(), s.getVersion(), s.getDbSize()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors.put(endpoint, "interrupted");
            } catch (ExecutionException e) {
                errors.put(endpoint, rootMessage(e.getCause()));
            } catch (TimeoutException e) {
                call.cancel(true);
                errors.put(endpoint, "no answer within " + timeout.toMillis() + " ms");
            }
        });
        return new Result(reachable, errors, clients);
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
