package dev.lifeboat.testing;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test profile that runs the service against {@link ScramInfrastructure} only: the module's
 * other (global) test resources, whose plaintext broker would compete for
 * {@code kafka.bootstrap.servers}, are not started. Use with {@code @TestProfile(ScramProfile.class)}.
 */
public class ScramProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ScramInfrastructure.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
