package dev.lifeboat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Classpaths of the servers that run as child JVMs, written at build time by maven-dependency-plugin. */
final class Classpaths {
    private Classpaths() {}

    static String of(String name) {
        try (InputStream in = Classpaths.class.getResourceAsStream(name + ".classpath")) {
            if (in == null) {
                throw new IllegalStateException(name + ".classpath missing: build test-support with ./mvnw first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
