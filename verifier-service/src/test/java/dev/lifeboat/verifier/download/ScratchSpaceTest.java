package dev.lifeboat.verifier.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ScratchSpaceTest {
    private static final Path DIR = Path.of("/scratch");

    @Test
    void aVerificationReservesTheFileAndItsRestoredCopy() {
        assertThat(ScratchSpace.neededFor(8_000)).isEqualTo(16_000);
    }

    @Test
    void aSecondVerificationWaitsUntilTheFirstReleasesItsRoom() throws Exception {
        ScratchSpace space = new ScratchSpace(DIR, OptionalLong.of(30_000));
        ScratchSpace.Reservation first = space.reserve(ScratchSpace.neededFor(8_000));

        CompletableFuture<ScratchSpace.Reservation> second = CompletableFuture.supplyAsync(() -> {
            try {
                return space.reserve(ScratchSpace.neededFor(8_000));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // 16,000 + 16,000 exceed the 30,000: the second must not be admitted while the first holds its room
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone());
        assertThat(space.reserved()).isEqualTo(16_000);
        first.close();
        ScratchSpace.Reservation admitted = second.get();
        assertThat(space.reserved()).isEqualTo(16_000);
        admitted.close();
        admitted.close();
        assertThat(space.reserved()).isZero();
    }

    @Test
    void aSnapshotThatCannotFitEvenAloneIsRefusedAtOnceWithTheNumbers() {
        ScratchSpace space = new ScratchSpace(DIR, OptionalLong.empty(), () -> 10_000);
        assertThatThrownBy(() -> space.reserve(ScratchSpace.neededFor(8_000)))
                .isInstanceOf(ScratchSpaceException.class)
                .hasMessageContaining("need 16000 bytes").hasMessageContaining("only 10000 are free");
    }

    @Test
    void withoutALimitTheFreeSpaceOfTheDiskCountsLessWhatOthersReserved() throws Exception {
        AtomicLong free = new AtomicLong(40_000);
        ScratchSpace space = new ScratchSpace(DIR, OptionalLong.empty(), free::get);
        space.reserve(20_000);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                space.reserve(30_000).close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        // someone else freed disk space; the waiting verification is admitted at the next release
        free.set(100_000);
        space.reserve(1).close();
        await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
        assertThat(waiting).isCompleted();
    }
}
