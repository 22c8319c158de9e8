package dev.lifeboat.common.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class BoundedPipeTest {
    @Test
    void deliversEverythingThenEnds() throws Exception {
        BoundedPipe pipe = new BoundedPipe(2);
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
        BoundedPipe pipe = new BoundedPipe(2);
        pipe.output().write(new byte[10], 0, 10);
        pipe.fail(new IOException("member went away"));
        assertThatThrownBy(() -> pipe.input().readAllBytes()).isInstanceOf(IOException.class)
                .hasMessageContaining("member went away");
    }

    @Test
    void anAbortedReaderStopsTheWriter() {
        BoundedPipe pipe = new BoundedPipe(2);
        pipe.abort();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 10; i++) {
                pipe.output().write(new byte[32 * 1024], 0, 32 * 1024);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("aborted");
    }

    @Test
    void aWriterWaitsForTheReaderOnceTheQueueIsFull() throws Exception {
        BoundedPipe pipe = new BoundedPipe(2);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 3; i++) {
                    pipe.output().write(new byte[] {(byte) i});
                }
                pipe.finish();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        // two chunks fit; the third write waits until the reader takes one
        org.awaitility.Awaitility.await().until(() -> pipe.bytesWritten() == 2);
        assertThat(writer).isNotDone();
        InputStream in = pipe.input();
        assertThat(in.read()).isEqualTo(0);
        assertThat(in.readAllBytes()).containsExactly(1, 2);
        writer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(pipe.bytesWritten()).isEqualTo(3);
    }

    @Test
    void aFailureThatIsNotAnIoExceptionStillReachesTheReader() {
        BoundedPipe pipe = new BoundedPipe(2);
        pipe.fail(new java.util.concurrent.TimeoutException("snapshot not finished after PT1S"));
        assertThatThrownBy(() -> pipe.input().read()).isInstanceOf(IOException.class)
                .hasMessageContaining("snapshot not finished after PT1S");
        assertThat(pipe.writerError()).hasMessage("snapshot not finished after PT1S");
    }

    @Test
    void writesAfterAFailureFail() {
        BoundedPipe pipe = new BoundedPipe(2);
        pipe.fail(new IOException("member went away"));
        pipe.input(); // nobody reads: the queue holds only the end marker
        assertThatThrownBy(() -> {
            for (int i = 0; i < 3; i++) {
                pipe.output().write(new byte[1]);
            }
        }).isInstanceOf(IOException.class).hasRootCauseMessage("member went away");
    }
}
