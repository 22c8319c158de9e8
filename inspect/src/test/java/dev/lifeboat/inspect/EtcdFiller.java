package dev.lifeboat.inspect;

import dev.lifeboat.testing.EtcdServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.PutOption;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Writes into a real etcd quickly: many asynchronous requests with a bounded number in flight. */
final class EtcdFiller implements AutoCloseable {
    private static final int IN_FLIGHT = 512;

    private final Client client;

    EtcdFiller(EtcdServer etcd) {
        this.client = Client.builder().endpoints(etcd.clientUrl()).build();
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    void put(String key, byte[] value) throws Exception {
        client.getKVClient().put(bytes(key), ByteSequence.from(value)).get(30, TimeUnit.SECONDS);
    }

    /** Puts {@code count} keys named and valued by the functions, many at a time. */
    void putMany(int count, IntFunction<String> key, IntFunction<byte[]> value) throws Exception {
        run(count, i -> client.getKVClient().put(bytes(key.apply(i)), ByteSequence.from(value.apply(i))));
    }

    void deleteMany(int count, IntFunction<String> key) throws Exception {
        run(count, i -> client.getKVClient().delete(bytes(key.apply(i))));
    }

    /** Grants {@code count} leases and attaches {@code keysPerLease} keys to each. */
    List<Long> leases(int count, int keysPerLease, String prefix) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(client.getLeaseClient().grant(3600).get(30, TimeUnit.SECONDS).getID());
        }
        run(count * keysPerLease, i -> client.getKVClient().put(bytes(prefix + i), bytes("leased-" + i),
                PutOption.builder().withLeaseId(ids.get(i / keysPerLease)).build()));
        return ids;
    }

    void compactPhysical(long revision) throws Exception {
        client.getKVClient().compact(revision, CompactOption.builder().withCompactPhysical(true).build())
                .get(60, TimeUnit.SECONDS);
    }

    private void run(int count, IntFunction<CompletableFuture<?>> request) throws Exception {
        Semaphore permits = new Semaphore(IN_FLIGHT);
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            permits.acquire();
            request.apply(i).whenComplete((r, e) -> {
                if (e != null) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
                permits.release();
            });
        }
        if (!permits.tryAcquire(IN_FLIGHT, 2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("requests to etcd did not finish in time");
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("etcd refused " + failures.size() + " requests", failures.get(0));
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
