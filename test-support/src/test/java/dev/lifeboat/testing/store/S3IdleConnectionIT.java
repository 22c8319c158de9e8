package dev.lifeboat.testing.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lifeboat.store.CallLimits;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.Regions;
import dev.lifeboat.testing.S3Server;

/**
 * The first call of every verb after an idle gap longer than the server's keep-alive (S3Proxy's
 * Jetty closes idle connections after 30 s) succeeds. The gap is the fault being injected, so it
 * is a real wait, once, for every verb at the same time. Each verb runs on its own store, whose
 * pool holds only connections the server has closed meanwhile; every verb twice: with the default
 * idle eviction, and with eviction far beyond the server's timeout (as when a middlebox closes
 * connections sooner than configured), where only the transparent re-send can save the call.
 */
class S3IdleConnectionIT {
    static final Duration SERVER_IDLE_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void everyVerbSucceedsOnTheFirstCallAfterTheServerClosedTheIdleConnections() throws Exception {
        try (S3Server s3 = S3Server.start(dir.resolve("s3"))) {
            CallLimits lateEviction = new CallLimits(Duration.ofMinutes(10), CallLimits.DEFAULT.requestTimeout(),
                    CallLimits.DEFAULT.minBytesPerSecond(), CallLimits.DEFAULT.healthTimeout(), 1);
            Map<String, Consumer<ObjectStore>> verbs = new LinkedHashMap<>();
            verbs.put("GET", s -> {
                try (InputStream in = s.get("idle/object")) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("\"kept\"");
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            verbs.put("GET json", s -> assertThat(s.getJson("idle/object", String.class)).isEqualTo("kept"));
            verbs.put("list", s -> assertThat(s.list("idle/")).isNotEmpty());
            verbs.put("HEAD", s -> assertThat(s.stat("idle/object")).isPresent());
            verbs.put("PUT", s -> s.putJson("idle/put-" + s.regionName(), "new"));
            verbs.put("DELETE", s -> s.delete("idle/delete-" + s.regionName()));
            verbs.put("streamed PUT", s -> s.put("idle/stream-" + s.regionName(),
                    ObjectStoreContract.randomStream(1000, 7, Long.MAX_VALUE), -1, "application/octet-stream"));
            verbs.put("readiness", s -> assertThat(s.isReachable()).isTrue());

            ObjectStore writer = Regions.open(Region.s3("writer", s3.endpoint(), S3Server.ACCESS_KEY,
                    S3Server.SECRET_KEY, "idle"));
            writer.ensureBucket();
            writer.putJson("idle/object", "kept");
            Map<String, ObjectStore> stores = new LinkedHashMap<>();
            int n = 0;
            for (String verb : verbs.keySet()) {
                for (CallLimits limits : List.of(CallLimits.DEFAULT, lateEviction)) {
                    String name = "r" + n++;
                    writer.putJson("idle/delete-" + name, "to delete");
                    ObjectStore store = Regions.open(Region.s3(name, s3.endpoint(), S3Server.ACCESS_KEY,
                            S3Server.SECRET_KEY, "idle").withLimits(limits));
                    // a pool with live connections, as after a burst of work; only calls without
                    // payload, as a service makes at start, so the first GET or upload after the gap
                    // also has to look up the bucket's region on a connection the server has closed
                    store.ensureBucket();
                    assertThat(store.list("idle/")).isNotEmpty();
                    assertThat(store.stat("idle/object")).isPresent();
                    stores.put(verb + (limits == lateEviction ? " (late eviction, no retry)" : ""), store);
                }
            }

            Thread.sleep(SERVER_IDLE_TIMEOUT.plusSeconds(5).toMillis()); // the fault: an idle gap

            Map<String, String> outcome = new LinkedHashMap<>();
            stores.forEach((label, store) -> {
                String verb = label.replace(" (late eviction, no retry)", "");
                try {
                    verbs.get(verb).accept(store);
                    outcome.put(label, "ok");
                } catch (RuntimeException | AssertionError e) {
                    outcome.put(label, "FAILED " + e);
                }
            });
            outcome.forEach((label, result) -> System.out.println("after idle gap: " + label + ": " + result));
            assertThat(outcome).allSatisfy((label, result) -> assertThat(result).as(label).isEqualTo("ok"));
        }
    }
}
