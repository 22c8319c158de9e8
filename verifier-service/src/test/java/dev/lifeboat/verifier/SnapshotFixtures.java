package dev.lifeboat.verifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeboat.testing.Commands;
import dev.lifeboat.testing.EtcdServer;
import dev.lifeboat.verifier.drill.DrillExpectation;
import dev.lifeboat.inspect.KeyValueSample;

/** Snapshots of real etcd instances, what etcdctl says about them, and ways to damage them. */
public final class SnapshotFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SnapshotFixtures() {}

    /** {@code etcdctl snapshot save} of the server into {@code file}. */
    public static Path save(EtcdServer etcd, Path file) {
        etcd.etcdctl("snapshot", "save", file.toString());
        return file;
    }

    /** {@code etcdctl snapshot status -w json}: hash, revision, totalKey, totalSize. */
    public static JsonNode status(Path file) {
        return json(Commands.check(List.of(EtcdServer.etcdctlBinary(), "snapshot", "status", "-w", "json", file.toString())));
    }

    /** What the running etcd itself serves: revision, live keys, and the given keys as a sample. */
    public static DrillExpectation served(EtcdServer etcd, String... sampleKeys) {
        JsonNode all = json(etcd.etcdctl("get", "", "--from-key", "--keys-only", "-w", "json"));
        List<KeyValueSample> sample = new ArrayList<>();
        for (String key : sampleKeys) {
            JsonNode kv = json(etcd.etcdctl("get", key, "-w", "json")).get("kvs").get(0);
            sample.add(new KeyValueSample(Base64.getDecoder().decode(kv.get("key").asText()),
                    Base64.getDecoder().decode(kv.get("value").asText()), kv.get("mod_revision").asLong()));
        }
        return new DrillExpectation(all.get("header").get("revision").asLong(),
                all.has("count") ? all.get("count").asLong() : 0, sample);
    }

    /**
     * Sets the compaction revision recorded in bucket {@code meta} to {@code newRevision} and
     * rewrites the trailer so the file passes every hash check: a file whose structure and
     * checksums are valid, that restores, but whose restored etcd serves another revision.
     */
    public static void tamperCompactRevision(Path file, long oldRevision, long newRevision) {
        byte[] bytes = read(file);
        byte[] needle = concat("finishedCompactRev".getBytes(), revisionBytes(oldRevision));
        byte[] replacement = concat("finishedCompactRev".getBytes(), revisionBytes(newRevision));
        int end = bytes.length - 32;
        int replaced = 0;
        for (int i = 0; i + needle.length <= end; i++) {
            if (regionEquals(bytes, i, needle)) {
                System.arraycopy(replacement, 0, bytes, i, replacement.length);
                replaced++;
            }
        }
        if (replaced == 0) {
            throw new IllegalStateException("no compaction revision " + oldRevision + " in " + file);
        }
        rewriteTrailer(bytes);
        write(file, bytes);
    }

    /** Flips one byte at {@code offset} (negative: from the end), leaving the trailer as it was. */
    public static void flipByte(Path file, long offset) {
        byte[] bytes = read(file);
        int at = (int) (offset < 0 ? bytes.length + offset : offset);
        bytes[at] ^= 0x5a;
        write(file, bytes);
    }

    public static String sha256(Path file) {
        return HexFormat.of().formatHex(digest(read(file)));
    }

    private static void rewriteTrailer(byte[] bytes) {
        MessageDigest sha = sha();
        sha.update(bytes, 0, bytes.length - 32);
        System.arraycopy(sha.digest(), 0, bytes, bytes.length - 32, 32);
    }

    private static byte[] revisionBytes(long main) {
        return ByteBuffer.allocate(17).putLong(main).put((byte) '_').putLong(0).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    private static boolean regionEquals(byte[] bytes, int at, byte[] needle) {
        for (int j = 0; j < needle.length; j++) {
            if (bytes[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] digest(byte[] bytes) {
        return sha().digest(bytes);
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            // etcdctl may log lines before its JSON answer
            return JSON.readTree(text.substring(text.indexOf("{\"")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
