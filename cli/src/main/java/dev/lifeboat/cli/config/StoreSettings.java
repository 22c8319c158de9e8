package dev.lifeboat.cli.config;

import dev.lifeboat.cli.Failure;
import dev.lifeboat.store.Region;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services' own region keys, {@code lifeboat.regions.<name>.endpoint|access-key|secret-key|bucket}
 * and {@code lifeboat.primary-region}, read from system properties, then environment variables
 * ({@code LIFEBOAT_REGIONS_<NAME>_ENDPOINT}, ...), then the {@code --config} properties file. Only the
 * region a command reads has to be configured. Secrets are never part of any message.
 */
public final class StoreSettings {
    private static final String PREFIX = "lifeboat.regions.";
    private static final Pattern FILE_KEY = Pattern.compile("lifeboat\\.regions\\.([^.]+)\\.endpoint");
    private static final Pattern ENV_KEY = Pattern.compile("LIFEBOAT_REGIONS_(.+)_ENDPOINT");
    private static final String[] REQUIRED = {"endpoint", "access-key", "secret-key", "bucket"};

    private final Properties file;
    private final Map<String, String> env;
    private final Properties system;

    private StoreSettings(Properties file, Map<String, String> env, Properties system) {
        this.file = file;
        this.env = env;
        this.system = system;
    }

    /** @param configFile a properties file, or null */
    public static StoreSettings load(Path configFile, Map<String, String> env, Properties system) {
        Properties file = new Properties();
        if (configFile != null) {
            try (Reader in = Files.newBufferedReader(configFile)) {
                file.load(in);
            } catch (IOException e) {
                throw Failure.USAGE.because("cannot read --config " + configFile + ": " + e.getMessage());
            }
        }
        return new StoreSettings(file, env, system);
    }

    /** {@code lifeboat.primary-region}, or {@code primary}. */
    public String defaultRegion() {
        return value("lifeboat.primary-region").orElse("primary");
    }

    /** The region's settings; a region without all four keys is one that does not exist here. */
    public Region region(String name) {
        if (name == null || !name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw Failure.NO_SUCH_REGION.because("'" + name + "' is not a region name");
        }
        String[] values = new String[REQUIRED.length];
        for (int i = 0; i < REQUIRED.length; i++) {
            String key = PREFIX + name + "." + REQUIRED[i];
            values[i] = value(key).orElseThrow(() -> Failure.NO_SUCH_REGION.because("region " + name
                    + " is not configured: set " + key + " (or " + envName(key) + ", or put it in --config)"
                    + configured()));
        }
        return Region.s3(name, values[0], values[1], values[2], values[3]);
    }

    /** Names of the regions with an endpoint, in any source. */
    public TreeSet<String> regionNames() {
        TreeSet<String> names = new TreeSet<>();
        for (Properties p : new Properties[] {file, system}) {
            for (String key : p.stringPropertyNames()) {
                Matcher m = FILE_KEY.matcher(key);
                if (m.matches()) {
                    names.add(m.group(1));
                }
            }
        }
        env.keySet().forEach(key -> {
            Matcher m = ENV_KEY.matcher(key);
            if (m.matches()) {
                names.add(m.group(1).toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        });
        return names;
    }

    private String configured() {
        TreeSet<String> names = regionNames();
        return names.isEmpty() ? "; no region is configured" : "; configured: " + String.join(", ", names);
    }

    private Optional<String> value(String key) {
        String v = system.getProperty(key);
        if (v == null) {
            v = env.get(envName(key));
        }
        if (v == null) {
            v = file.getProperty(key);
        }
        return Optional.ofNullable(v).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** MicroProfile Config's environment name: every non-alphanumeric becomes '_', upper case. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
