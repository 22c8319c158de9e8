package dev.lifeboat.inspect.content;

import dev.lifeboat.inspect.content.ContentSummary;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The content report over key/values as the API server writes them. */
class KubernetesContentReportTest {

    @Test
    void countsObjectsNamespacesCustomResourcesAndEncryption() {
        KubernetesContentReport report = new KubernetesContentReport();
        KubernetesSamples.registry().forEach((k, v) -> report.add(buf(k), ByteBuffer.wrap(v)));
        report.add(buf("/not-registry/x"), buf("{}"));
        report.add(buf("compact_rev_key"), buf("x"));

        ContentSummary content = report.summary();
        assertThat(content.kubernetesObjects()).isEqualTo(13);
        assertThat(content.namespaces()).containsExactly("default", "kube-system", "nameValue");
        assertThat(content.objectsByResource()).isEqualTo(Map.of(
                "pods", 1L, "namespaces", 3L, "configmaps", 1L, "deployments", 1L, "services", 1L,
                "endpoints", 1L, "nodes", 1L, "widgets.example.com", 1L,
                "customresourcedefinitions.apiextensions.k8s.io", 1L, "secrets", 2L));
        assertThat(content.objectsByNamespace()).isEqualTo(Map.of("namespaceValue", 3L, "default", 4L, "kube-system", 1L));
        assertThat(content.customResourcesByGroup()).isEqualTo(Map.of("example.com", 1L));
        assertThat(content.encryptedValues()).isEqualTo(2);
        assertThat(content.encryptedByProvider()).isEqualTo(Map.of("aescbc", 1L, "kms-v2", 1L));

        assertThat(report.protobufObjects()).isEqualTo(4);
        assertThat(report.objectsByKind()).isEqualTo(Map.of("v1/Pod", 1L, "v1/Namespace", 1L, "v1/ConfigMap", 1L,
                "apps/v1/Deployment", 1L));
        assertThat(report.jsonObjects()).isEqualTo(7);
        assertThat(report.decodeFailures()).isZero();
        // The Namespace sample carries a namespace in its metadata although namespaces are cluster-scoped.
        assertThat(report.identityMismatches()).isEqualTo(1);
    }

    @Test
    void decodesRealProtobufSamples() throws Exception {
        KubernetesObjectHeader pod = KubernetesObjectHeader.decode(ByteBuffer.wrap(KubernetesSamples.resource("core.v1.Pod.pb")));
        assertThat(pod).isEqualTo(new KubernetesObjectHeader("v1", "Pod", "namespaceValue", "nameValue"));
        KubernetesObjectHeader deployment = KubernetesObjectHeader.decode(
                ByteBuffer.wrap(KubernetesSamples.resource("apps.v1.Deployment.pb")));
        assertThat(deployment).isEqualTo(new KubernetesObjectHeader("apps/v1", "Deployment", "namespaceValue", "nameValue"));
    }

    @Test
    void damagedProtobufIsCountedNeverThrown() {
        byte[] pod = KubernetesSamples.resource("core.v1.Pod.pb");
        Random random = new Random(11);
        KubernetesContentReport report = new KubernetesContentReport();
        for (int n = 0; n < 3000; n++) {
            byte[] damaged = pod.clone();
            if (n % 3 == 0) {
                damaged = java.util.Arrays.copyOf(damaged, 4 + random.nextInt(pod.length - 4));
            } else {
                int at = 4 + random.nextInt(pod.length - 4);
                damaged[at] ^= (byte) (1 + random.nextInt(255));
            }
            report.add(buf("/registry/pods/ns/p" + n), ByteBuffer.wrap(damaged));
        }
        assertThat(report.summary().kubernetesObjects()).isEqualTo(3000);
        assertThat(report.protobufObjects() + report.decodeFailures()).isEqualTo(3000);
        assertThat(report.decodeFailures()).isPositive();
    }

    @Test
    void valuesThatAreNeitherProtobufJsonNorEncryptedAreFailures() {
        KubernetesContentReport report = new KubernetesContentReport();
        report.add(buf("/registry/pods/ns/a"), buf("garbage"));
        report.add(buf("/registry/pods/ns/b"), ByteBuffer.wrap(new byte[] {'k', '8', 's', 0, (byte) 0xff}));
        report.add(buf("/registry/pods/ns/c"), ByteBuffer.allocate(0));
        assertThat(report.decodeFailures()).isEqualTo(3);
    }

    @Test
    void encryptionProviders() {
        assertThat(EncryptionEnvelope.providerOf(buf("k8s:enc:aesgcm:v1:k1:xx"))).contains("aesgcm");
        assertThat(EncryptionEnvelope.providerOf(buf("k8s:enc:secretbox:v1:k:xx"))).contains("secretbox");
        assertThat(EncryptionEnvelope.providerOf(buf("k8s:enc:kms:v1:vault:xx"))).contains("kms");
        assertThat(EncryptionEnvelope.providerOf(buf("k8s:enc:kms:v2:vault:xx"))).contains("kms-v2");
        assertThat(EncryptionEnvelope.providerOf(buf("k8s:enc:"))).contains("unknown");
        assertThat(EncryptionEnvelope.providerOf(buf("{\"kind\":\"Secret\"}"))).isEmpty();
    }

    @Test
    void registryKeys() {
        assertThat(RegistryKey.parse("/registry/pods/kube-system/etcd-0"))
                .contains(new RegistryKey("pods", "", "kube-system", "etcd-0"));
        assertThat(RegistryKey.parse("/registry/minions/n1")).contains(new RegistryKey("nodes", "", "", "n1"));
        assertThat(RegistryKey.parse("/registry/controllers/ns/rc")).contains(new RegistryKey("replicationcontrollers", "", "ns", "rc"));
        assertThat(RegistryKey.parse("/registry/ingress/ns/i")).contains(new RegistryKey("ingresses", "", "ns", "i"));
        assertThat(RegistryKey.parse("/registry/cert-manager.io/certificates/ns/c"))
                .contains(new RegistryKey("certificates.cert-manager.io", "cert-manager.io", "ns", "c"));
        assertThat(RegistryKey.parse("/registry/cert-manager.io/clusterissuers/ci").orElseThrow().custom()).isTrue();
        assertThat(RegistryKey.parse("/registry/apiregistration.k8s.io/apiservices/v1.apps").orElseThrow().custom()).isFalse();
        assertThat(RegistryKey.parse("/registry/pods")).isEmpty();
        assertThat(RegistryKey.parse("/registry/pods/a/b/c")).isEmpty();
        assertThat(RegistryKey.parse("/registry//x")).isEmpty();
        assertThat(RegistryKey.parse("/other/pods/a")).isEmpty();
    }

    @Test
    void protobufReaderRejectsMalformedInput() {
        assertThat(KubernetesObjectHeader.isProtobuf(buf("k8s"))).isFalse();
        for (byte[] bad : new byte[][] {
                {'k', '8', 's', 0, 0x0a, 0x7f},                 // length past the end
                {'k', '8', 's', 0, (byte) 0x80, (byte) 0x80},    // varint runs off the end
                {'k', '8', 's', 0, 0x0f},                        // wire type 7
                {'k', '8', 's', 0},                              // no kind
        }) {
            ByteBuffer value = ByteBuffer.wrap(bad);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> KubernetesObjectHeader.decode(value))
                    .isInstanceOf(MalformedProtobufException.class);
        }
    }

    private static ByteBuffer buf(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
