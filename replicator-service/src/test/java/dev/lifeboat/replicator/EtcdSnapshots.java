package dev.lifeboat.replicator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.lifeboat.common.snapshotfile.Sha256;
import dev.lifeboat.testing.EtcdServer;

/** Real etcd snapshots made with {@code etcdctl snapshot save}, one per distinct key/value content. */
public final class EtcdSnapshots {
    /** Key every test snapshot holds; its value tells the snapshots apart. */
    public static final String KEY = "/registry/configmaps/default/lifeboat-dr-check";

    /** A snapshot file and its independently computed checksum. */
    public record SnapshotFile(Path file, long size, String sha256, String value) {}

    private static final Map<String, SnapshotFile> MADE = new java.util.concurrent.ConcurrentHashMap<>();

    private EtcdSnapshots() {}

    /** A snapshot of an etcd whose {@link #KEY} holds {@code value} (made once per value and JVM). */
    public static synchronized SnapshotFile withValue(String value) {
        return MADE.computeIfAbsent(value, EtcdSnapshots::make);
    }

    private static SnapshotFile make(String value) {
        try {
            Path dir = Files.createTempDirectory("lifeboat-etcd-");
            try (EtcdServer etcd = EtcdServer.start(dir.resolve("etcd"))) {
                for (int i = 0; i < 50; i++) {
                    etcd.etcdctl("put", "/registry/secrets/default/s" + i, "payload-" + i);
                }
                etcd.etcdctl("put", KEY, value);
                Path file = dir.resolve("snapshot.db");
                etcd.etcdctl("snapshot", "save", file.toString());
                return new SnapshotFile(file, Files.size(file), sha256(file), value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A large object standing in for a snapshot where only its size matters (the replicator does
     * not look inside): random bytes, made once per size and JVM.
     */
    public static synchronized SnapshotFile randomBlob(int megabytes) {
        return MADE.computeIfAbsent("blob-" + megabytes, k -> {
            try {
                Path file = Files.createTempDirectory("lifeboat-blob-").resolve("snapshot.db");
                java.util.Random random = new java.util.Random(megabytes);
                byte[] chunk = new byte[1 << 20];
                try (var out = Files.newOutputStream(file)) {
                    for (int i = 0; i < megabytes; i++) {
                        random.nextBytes(chunk);
                        out.write(chunk);
                    }
                }
                return new SnapshotFile(file, Files.size(file), sha256(file), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static String sha256(Path file) {
        try {
            return Sha256.of(file).hex();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(InputStream in) throws IOException {
        return Sha256.of(in).hex();
    }
}
