package dev.lifeboat.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.inspect.status.SnapshotStatus;
import dev.lifeboat.testing.Commands;
import dev.lifeboat.testing.EtcdServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What etcdctl, the independent reference, says about a server or a snapshot file. */
final class EtcdOracle {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EtcdOracle() {
    }

    static Path save(EtcdServer etcd, Path file) {
        etcd.etcdctl("snapshot", "save", file.toString());
        return file;
    }

    /** {@code etcdctl snapshot status -w json}, or null when etcdctl refuses the file. */
    static SnapshotStatus status(Path file) {
        Commands.Result result = Commands.run(List.of(EtcdServer.etcdctlBinary(), "snapshot", "status", "-w", "json",
                file.toString()));
        if (result.exitCode() != 0 || !result.output().contains("{\"")) {
            return null;
        }
        JsonNode s = json(result.output());
        return new SnapshotStatus(s.get("hash").asLong(), s.get("revision").asLong(),
                s.get("totalKey").asLong(), s.get("totalSize").asLong());
    }

    /** Number of keys the server serves at its current revision. */
    static long liveKeys(EtcdServer etcd) {
        JsonNode r = json(etcd.etcdctl("get", "", "--from-key", "--limit", "1", "-w", "json"));
        return r.path("count").asLong(0);
    }

    static long revision(EtcdServer etcd) {
        return json(etcd.etcdctl("get", "", "--from-key", "--limit", "1", "-w", "json"))
                .get("header").get("revision").asLong();
    }

    /** {@code <hex id> <name> <peerURLs>} per member, as the inspection reports them. */
    static List<String> members(EtcdServer etcd) {
        List<String> members = new ArrayList<>();
        for (JsonNode m : json(etcd.etcdctl("member", "list", "-w", "json")).get("members")) {
            List<String> peers = new ArrayList<>();
            m.get("peerURLs").forEach(u -> peers.add(u.asText()));
            members.add(Long.toHexString(m.get("ID").asLong()) + " " + m.get("name").asText() + " "
                    + String.join(",", peers));
        }
        return members;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.substring(text.indexOf("{\"")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
