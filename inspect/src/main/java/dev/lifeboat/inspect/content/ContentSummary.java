package dev.lifeboat.inspect.content;

import java.util.List;
import java.util.Map;

/**
 * What the live keys of a snapshot hold, as Kubernetes sees it.
 *
 * @param kubernetesObjects      keys under {@code /registry/} that name an object
 * @param objectsByResource      objects per resource (storage name, e.g. {@code pods}, {@code services/specs})
 * @param objectsByNamespace     namespaced objects per namespace
 * @param namespaces             the namespace objects present
 * @param customResourcesByGroup custom resources per API group
 * @param encryptedValues        values encrypted at rest
 * @param encryptedByProvider    encrypted values per provider ({@code aescbc}, {@code kms-v2}, ...)
 */
public record ContentSummary(
        long kubernetesObjects,
        Map<String, Long> objectsByResource,
        Map<String, Long> objectsByNamespace,
        List<String> namespaces,
        Map<String, Long> customResourcesByGroup,
        long encryptedValues,
        Map<String, Long> encryptedByProvider) {
}
