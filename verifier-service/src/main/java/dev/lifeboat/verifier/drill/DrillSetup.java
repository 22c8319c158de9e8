package dev.lifeboat.verifier.drill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

import dev.lifeboat.common.etcd.EtcdProcess;
import dev.lifeboat.verifier.config.VerifierConfig;
import dev.lifeboat.verifier.drill.DrillSettings;
import dev.lifeboat.verifier.drill.LiveDrills;
import dev.lifeboat.verifier.drill.RestoreDrill;

/**
 * Builds the restore drill from configuration, removes leftovers of a crashed run before anything
 * of this run can drill or download, and stops every scratch etcd when the service stops.
 */
@Startup
@ApplicationScoped
public class DrillSetup {
    private static final Logger LOG = Logger.getLogger(DrillSetup.class);

    private final LiveDrills live = new LiveDrills();
    private final VerifierConfig config;
    private volatile WorkDirLock lock;

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

    /**
     * A crash leaves scratch etcd processes, downloads and drill directories behind; this directory
     * is the service's own. Done when this bean is created (eagerly at start-up, or earlier by the
     * first verification): every drill and download goes through this bean (the drill is its
     * product, the download directory its {@link #workDir()}), so none of this run's can be mistaken
     * for a leftover. A start-up observer instead ran after the catch-up sweep's first verification
     * had started a drill, stopped its scratch etcd as an orphan, and recorded a false RESTORE_FAILED.
     */
    @PostConstruct
    void removeLeftovers() {
        // held before anything in it is touched: another verifier's running drills are not leftovers
        lock = WorkDirLock.acquire(workDir());
        int orphans = EtcdProcess.stopOrphans(workDir().resolve("drills"));
        if (orphans > 0) {
            LOG.warnf("stopped %d scratch etcd process(es) left running by an earlier run", orphans);
        }
        for (String sub : new String[] {"drills", "downloads"}) {
            Path dir = workDir().resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                LOG.warnf("cannot remove leftovers under %s: %s", dir, e.getMessage());
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        live.stopAll();
        WorkDirLock held = lock;
        if (held != null) {
            held.close();
        }
    }
}
