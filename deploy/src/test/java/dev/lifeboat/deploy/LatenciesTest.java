package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class LatenciesTest {
    private static final List<Long> ONE_TO_HUNDRED = LongStream.rangeClosed(1, 100).boxed().toList();

    @Test
    void nearestRankOfOneToHundredIsTheRankItself() {
        assertThat(Latencies.percentile(ONE_TO_HUNDRED, 50)).isEqualTo(50);
        assertThat(Latencies.percentile(ONE_TO_HUNDRED, 99)).isEqualTo(99);
        assertThat(Latencies.percentile(ONE_TO_HUNDRED, 100)).isEqualTo(100);
    }

    @Test
    void fewValues() {
        assertThat(Latencies.percentile(List.of(7L), 99)).isEqualTo(7);
        assertThat(Latencies.percentile(List.of(1L, 2L, 3L, 4L), 50)).isEqualTo(2);
        assertThat(Latencies.percentile(List.of(1L, 2L, 3L, 4L), 99)).isEqualTo(4);
        assertThat(Latencies.percentile(List.of(1L, 2L, 3L, 4L), 0)).isEqualTo(1);
    }

    @Test
    void summaryInSeconds() {
        assertThat(Latencies.summary(List.of(1_000L, 2_500L, 90_000L))).isEqualTo("p50 2.5 s, p99 90.0 s, max 90.0 s");
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(() -> Latencies.percentile(List.of(), 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
