package dev.lifeboat.deploy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kubernetes-like keys for the local stack's etcd: built-in objects in the API server's protobuf
 * envelope ({@code k8s\0} + runtime.Unknown), a JSON custom resource and an encrypted secret.
 */
final class KubernetesSeed {
    private KubernetesSeed() {}

    static Map<String, byte[]> objects() {
        Map<String, byte[]> kv = new LinkedHashMap<>();
        for (String ns : new String[] {"default", "kube-system", "kube-public", "payments"}) {
            kv.put("/registry/namespaces/" + ns, object("v1", "Namespace", null, ns));
        }
        kv.put("/registry/pods/payments/api-7d9f8-abcde", object("v1", "Pod", "payments", "api-7d9f8-abcde"));
        kv.put("/registry/pods/kube-system/coredns-5d78c9869d-x2x4f",
                object("v1", "Pod", "kube-system", "coredns-5d78c9869d-x2x4f"));
        kv.put("/registry/services/specs/default/kubernetes", object("v1", "Service", "default", "kubernetes"));
        kv.put("/registry/configmaps/kube-system/coredns", object("v1", "ConfigMap", "kube-system", "coredns"));
        kv.put("/registry/deployments/payments/api", object("apps/v1", "Deployment", "payments", "api"));
        kv.put("/registry/minions/node-1", object("v1", "Node", null, "node-1"));
        kv.put("/registry/secrets/payments/db-password",
                "k8s:enc:aescbc:v1:key1:\u0001\u0002opaque-ciphertext".getBytes(StandardCharsets.UTF_8));
        kv.put("/registry/example.com/widgets/payments/blue", ("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\","
                + "\"metadata\":{\"name\":\"blue\",\"namespace\":\"payments\"}}").getBytes(StandardCharsets.UTF_8));
        return kv;
    }

    /** The bytes the API server stores for a built-in object with this type and metadata. */
    static byte[] object(String apiVersion, String kind, String namespace, String name) {
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        field(meta, 1, name.getBytes(StandardCharsets.UTF_8));
        if (namespace != null) {
            field(meta, 3, namespace.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        field(raw, 1, meta.toByteArray());
        ByteArrayOutputStream typeMeta = new ByteArrayOutputStream();
        field(typeMeta, 1, apiVersion.getBytes(StandardCharsets.UTF_8));
        field(typeMeta, 2, kind.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream unknown = new ByteArrayOutputStream();
        unknown.writeBytes(new byte[] {'k', '8', 's', 0});
        field(unknown, 1, typeMeta.toByteArray());
        field(unknown, 2, raw.toByteArray());
        return unknown.toByteArray();
    }

    /** A protobuf length-delimited field. */
    private static void field(ByteArrayOutputStream out, int number, byte[] value) {
        varint(out, (number << 3) | 2);
        varint(out, value.length);
        out.writeBytes(value);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
