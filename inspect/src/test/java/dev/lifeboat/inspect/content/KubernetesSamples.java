package dev.lifeboat.inspect.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys and values as a Kubernetes API server stores them: protobuf built-ins (real samples from
 * kubernetes/api testdata), JSON custom resources, and values encrypted at rest.
 */
public final class KubernetesSamples {
    private KubernetesSamples() {
    }

    public static byte[] resource(String name) {
        try (InputStream in = KubernetesSamples.class.getResourceAsStream("/k8s-samples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small cluster's registry: 13 objects in namespaces default, kube-system and namespaceValue. */
    public static Map<String, byte[]> registry() {
        Map<String, byte[]> kv = new LinkedHashMap<>();
        kv.put("/registry/pods/namespaceValue/nameValue", resource("core.v1.Pod.pb"));
        kv.put("/registry/namespaces/nameValue", resource("core.v1.Namespace.pb"));
        kv.put("/registry/configmaps/namespaceValue/nameValue", resource("core.v1.ConfigMap.pb"));
        kv.put("/registry/deployments/namespaceValue/nameValue", resource("apps.v1.Deployment.pb"));
        kv.put("/registry/namespaces/default", text("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}"));
        kv.put("/registry/namespaces/kube-system", text("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}"));
        kv.put("/registry/services/specs/default/kubernetes", text("{\"kind\":\"Service\"}"));
        kv.put("/registry/services/endpoints/default/kubernetes", text("{\"kind\":\"Endpoints\"}"));
        kv.put("/registry/minions/node-1", text("{\"kind\":\"Node\"}"));
        kv.put("/registry/example.com/widgets/default/w1",
                text("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\"}}"));
        kv.put("/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.example.com",
                text("{\"kind\":\"CustomResourceDefinition\"}"));
        kv.put("/registry/secrets/kube-system/token", text("k8s:enc:aescbc:v1:key1:\u0001\u0002opaque"));
        kv.put("/registry/secrets/default/db", text("k8s:enc:kms:v2:vault:\u0003\u0004opaque"));
        return kv;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
