package dev.lifeboat.replicator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A third region, {@code tertiary}, on its own real S3 server: with two secondaries the tests can
 * show that an outage of one leaves the other unaffected.
 */
public class ThirdRegion implements QuarkusTestResourceLifecycleManager {
    public static final String NAME = "tertiary";

    private static S3Server server;

    public static synchronized S3Server server() {
        if (server == null) {
            try {
                server = S3Server.start(Files.createTempDirectory("lifeboat-s3-tertiary-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "lifeboat.regions." + NAME + ".endpoint", server().endpoint(),
                "lifeboat.regions." + NAME + ".access-key", S3Server.ACCESS_KEY,
                "lifeboat.regions." + NAME + ".secret-key", S3Server.SECRET_KEY,
                "lifeboat.regions." + NAME + ".bucket", LifeboatInfrastructure.BUCKET);
    }

    @Override
    public void stop() {
        // shared by every test class; closed when the JVM exits
    }
}
