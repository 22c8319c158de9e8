package dev.lifeboat.verifier.config;

import dev.lifeboat.verifier.expectation.ContentExpectations;

/** The expectations that apply to one cluster: the global ones, overridden by the cluster's own. */
public final class ExpectationsResolver {
    private final VerifierConfig config;

    public ExpectationsResolver(VerifierConfig config) {
        this.config = config;
    }

    public ContentExpectations forCluster(String clusterId) {
        ContentExpectations global = ContentExpectations.NONE.overriddenBy(
                config.expectations().minLiveKeys(),
                config.expectations().requiredKeys().orElse(null),
                config.expectations().maxLostPercent());
        VerifierConfig.Expectations own = config.clusters().get(clusterId);
        if (own == null) {
            return global;
        }
        return global.overriddenBy(own.minLiveKeys(), own.requiredKeys().orElse(null), own.maxLostPercent());
    }
}
