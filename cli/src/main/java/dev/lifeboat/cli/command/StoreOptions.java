package dev.lifeboat.cli.command;

import dev.lifeboat.cli.CommandFailure;
import dev.lifeboat.cli.config.StoreSettings;
import dev.lifeboat.cli.store.RegionCatalog;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.Region;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --config} and {@code --region}, shared by every command. */
public final class StoreOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "properties file with lifeboat.regions.<name>.endpoint|access-key|secret-key|bucket "
                    + "(environment variables LIFEBOAT_REGIONS_<NAME>_... and -D system properties win)")
    Path config;

    @Option(names = "--region", paramLabel = "NAME",
            description = "region whose store is read (default: lifeboat.primary-region, else 'primary')")
    String region;

    private StoreSettings settings;

    StoreSettings settings() {
        if (settings == null) {
            settings = StoreSettings.load(config, System.getenv(), System.getProperties());
        }
        return settings;
    }

    String regionName() {
        return region != null ? region : settings().defaultRegion();
    }

    RegionCatalog catalog() {
        return new RegionCatalog(open(regionName()));
    }

    /** The other configured regions' stores, for the replicated-to column; unconfigurable ones are skipped. */
    List<ObjectStore> others() {
        List<ObjectStore> stores = new ArrayList<>();
        for (String name : settings().regionNames()) {
            if (!name.equals(regionName())) {
                try {
                    stores.add(open(name));
                } catch (CommandFailure incomplete) {
                    // a region with missing keys is simply not consulted
                }
            }
        }
        return stores;
    }

    private ObjectStore open(String name) {
        Region region = settings().region(name);
        return Regions.open(region);
    }
}
