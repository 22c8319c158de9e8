package dev.lifeboat.verifier.service;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.ShutdownEvent;

import dev.lifeboat.verifier.config.VerifierConfig;
import dev.lifeboat.verifier.drill.DrillSettings;
import dev.lifeboat.verifier.drill.LiveDrills;
import dev.lifeboat.verifier.drill.RestoreDrill;

/** Builds the restore drill from configuration and removes every scratch etcd when the service stops. */
@ApplicationScoped
public class DrillSetup {
    private final LiveDrills live = new LiveDrills();
    private final VerifierConfig config;

    public DrillSetup(VerifierConfig config) {
        this.config = config;
    }

    /** Downloads and drill directories live here while a verification runs. */
    public Path workDir() {
        return config.workDir().orElse(Path.of(System.getProperty("java.io.tmpdir")).resolve("lifeboat-verifier"));
    }

    @Produces
    @Singleton
    RestoreDrill restoreDrill() {
        return new RestoreDrill(new DrillSettings(config.etcdBinary(), config.etcdctlBinary(),
                workDir().resolve("drills"), config.drill().timeout(), config.drill().maxConcurrent()), live);
    }

    public LiveDrills liveDrills() {
        return live;
    }

    void onStop(@Observes ShutdownEvent event) {
        live.stopAll();
    }
}
