package dev.lifeboat.inspect.content;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the Kubernetes view of a snapshot from its live keys: objects per resource and namespace,
 * namespaces present, custom resources per group, encrypted values per provider, and kinds decoded
 * from protobuf values. Undecodable values are counted, never thrown.
 */
public final class KubernetesContentReport {
    private static final String NAMESPACES = "namespaces";

    private long objects;
    private final Map<String, Long> byResource = new TreeMap<>();
    private final Map<String, Long> byNamespace = new TreeMap<>();
    private final TreeSet<String> namespaces = new TreeSet<>();
    private final Map<String, Long> customByGroup = new TreeMap<>();
    private long encrypted;
    private final Map<String, Long> encryptedByProvider = new TreeMap<>();
    private final Map<String, Long> byKind = new TreeMap<>();
    private long protobufObjects;
    private long jsonObjects;
    private long decodeFailures;
    private long identityMismatches;

    /** Adds one live key and its value; keys outside {@code /registry/} are ignored. */
    public void add(ByteBuffer key, ByteBuffer value) {
        if (!startsWithPrefix(key)) {
            return;
        }
        byte[] keyBytes = new byte[key.remaining()];
        key.get(key.position(), keyBytes);
        Optional<RegistryKey> parsed = RegistryKey.parse(new String(keyBytes, StandardCharsets.UTF_8));
        if (parsed.isEmpty()) {
            return;
        }
        RegistryKey object = parsed.get();
        objects++;
        byResource.merge(object.resource(), 1L, Long::sum);
        if (!object.namespace().isEmpty()) {
            byNamespace.merge(object.namespace(), 1L, Long::sum);
        }
        if (object.resource().equals(NAMESPACES) && object.namespace().isEmpty()) {
            namespaces.add(object.name());
        }
        if (object.custom()) {
            customByGroup.merge(object.group(), 1L, Long::sum);
        }
        Optional<String> provider = EncryptionEnvelope.providerOf(value);
        if (provider.isPresent()) {
            encrypted++;
            encryptedByProvider.merge(provider.get(), 1L, Long::sum);
        } else if (KubernetesObjectHeader.isProtobuf(value)) {
            decodeProtobuf(object, value);
        } else if (value.hasRemaining() && value.get(value.position()) == '{') {
            jsonObjects++;
        } else {
            decodeFailures++;
        }
    }

    private void decodeProtobuf(RegistryKey object, ByteBuffer value) {
        try {
            KubernetesObjectHeader header = KubernetesObjectHeader.decode(value);
            protobufObjects++;
            byKind.merge(header.apiVersion() + "/" + header.kind(), 1L, Long::sum);
            if (!header.name().equals(object.name()) || !header.namespace().equals(object.namespace())) {
                identityMismatches++;
            }
        } catch (MalformedProtobufException e) {
            decodeFailures++;
        }
    }

    private static boolean startsWithPrefix(ByteBuffer key) {
        byte[] prefix = RegistryKey.PREFIX.getBytes(StandardCharsets.US_ASCII);
        if (key.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key.get(key.position() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The counts so far. */
    public ContentSummary summary() {
        return new ContentSummary(objects, sorted(byResource), sorted(byNamespace),
                List.copyOf(namespaces), sorted(customByGroup), encrypted, sorted(encryptedByProvider));
    }

    /** Objects per {@code apiVersion/kind}, decoded from protobuf values. */
    public Map<String, Long> objectsByKind() {
        return sorted(byKind);
    }

    private static Map<String, Long> sorted(Map<String, Long> counts) {
        return Collections.unmodifiableMap(new TreeMap<>(counts));
    }

    public long protobufObjects() {
        return protobufObjects;
    }

    public long jsonObjects() {
        return jsonObjects;
    }

    /** Values that are neither encrypted, decodable protobuf, nor JSON. */
    public long decodeFailures() {
        return decodeFailures;
    }

    /** Protobuf objects whose name or namespace differs from their key. */
    public long identityMismatches() {
        return identityMismatches;
    }
}
