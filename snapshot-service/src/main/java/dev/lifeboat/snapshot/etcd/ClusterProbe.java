package dev.lifeboat.snapshot.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.snapshot.service.SnapshotFailedException;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;

/** Asks every registered endpoint for its status, each through its own client. */
public final class ClusterProbe {
    private ClusterProbe() {}

    public record Result(List<MemberStatus> reachable, Map<String, String> errors) {
        public MemberStatus chooseSource() {
            return SnapshotSourceChooser.choose(reachable, errors);
        }
    }

    public static Result probe(ClusterSpec spec, Duration timeout) {
        List<MemberStatus> reachable = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (String endpoint : spec.endpoints()) {
            try (Client client = EtcdClients.forEndpoint(endpoint, spec.tls(), timeout)) {
                StatusResponse s = client.getMaintenanceClient().statusMember(endpoint)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                reachable.add(new MemberStatus(endpoint, s.getHeader().getMemberId(), s.getLeader(),
                        s.getHeader().getRevision(), s.getRaftIndex(), s.getVersion(), s.getDbSize()));
            } catch (SnapshotFailedException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors.put(endpoint, "interrupted");
            } catch (ExecutionException e) {
                errors.put(endpoint, rootMessage(e.getCause()));
            } catch (TimeoutException e) {
                errors.put(endpoint, "no answer within " + timeout.toMillis() + " ms");
            } catch (RuntimeException e) {
                errors.put(endpoint, rootMessage(e));
            }
        }
        return new Result(reachable, errors);
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
