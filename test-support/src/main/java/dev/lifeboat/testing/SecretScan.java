package dev.lifeboat.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Searches what a service gave away in a test run (its log file, every record on the topics it
 * writes, the answers it gave) for secrets: the store's secret key, bearer tokens and their
 * signatures, key material.
 */
public final class SecretScan {
    private final List<String> secrets = new ArrayList<>(List.of(S3Server.SECRET_KEY));
    private final StringBuilder output = new StringBuilder();

    /** A token the run used: neither it nor its signature may appear anywhere. */
    public SecretScan token(String token) {
        secrets.add(token);
        secrets.add(token.substring(token.lastIndexOf('.') + 1));
        return this;
    }

    /** An answer the service gave (a problem body, health, metrics). */
    public SecretScan answer(String body) {
        output.append(body).append('\n');
        return this;
    }

    /** The service's log file (the test profile writes one). */
    public SecretScan log(Path file) {
        assertThat(file).as("the test profile writes the service's log to a file").exists();
        try {
            output.append(Files.readString(file)).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Every record of these topics (key, headers, value) as text. */
    public SecretScan records(String bootstrapServers, String... topics) {
        try (TopicRecorder all = new TopicRecorder(bootstrapServers, topics)) {
            for (ConsumerRecord<String, byte[]> r : all.drain(r -> true, Duration.ofSeconds(3))) {
                output.append(r.key()).append(' ');
                for (Header h : r.headers()) {
                    output.append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8)).append(' ');
                }
                output.append(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return this;
    }

    /** Fails naming the length (never the value) of the first secret found; returns everything searched. */
    public String assertNoSecret() {
        String everything = output.toString();
        for (String secret : secrets) {
            assertThat(everything).as("a secret of %d characters", secret.length()).doesNotContain(secret);
        }
        return everything;
    }
}
