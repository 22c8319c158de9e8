package dev.lifeboat.snapshot.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class SnapshotPipeTest {
    @Test
    void deliversEverythingThenEnds() throws Exception {
        SnapshotPipe pipe = new SnapshotPipe(64);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    pipe.output().write(new byte[32 * 1024], 0, 32 * 1024);
                }
                pipe.finish();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        try (InputStream in = pipe.input()) {
            assertThat(in.readAllBytes()).hasSize(100 * 32 * 1024);
        }
        writer.join();
    }

    @Test
    void aWriterFailureReachesTheReaderAsAnErrorNotAsEndOfStream() throws Exception {
        SnapshotPipe pipe = new SnapshotPipe(64);
        pipe.output().write(new byte[10], 0, 10);
        pipe.fail(new IOException("member went away"));
        assertThatThrownBy(() -> pipe.input().readAllBytes()).isInstanceOf(IOException.class)
                .hasMessageContaining("member went away");
    }

    @Test
    void anAbortedReaderStopsTheWriter() {
        SnapshotPipe pipe = new SnapshotPipe(64);
        pipe.abort();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 10; i++) {
                pipe.output().write(new byte[32 * 1024], 0, 32 * 1024);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("aborted");
    }
}
