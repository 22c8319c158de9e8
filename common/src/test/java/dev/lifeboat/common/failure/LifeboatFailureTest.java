package dev.lifeboat.common.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.lifeboat.events.FailureReason;

class LifeboatFailureTest {
    @Test
    void carriesReasonRegionRetriableMessageAndCause() {
        IOException cause = new IOException("connection refused");
        LifeboatFailure f = new LifeboatFailure(FailureReason.STORE_UNAVAILABLE, "secondary", true, "store down", cause);
        assertThat(f.reason()).isEqualTo(FailureReason.STORE_UNAVAILABLE);
        assertThat(f.region()).isEqualTo("secondary");
        assertThat(f.retriable()).isTrue();
        assertThat(f).hasMessage("store down").hasCause(cause);
    }

    @Test
    void withoutARegionItIsNotRetriable() {
        LifeboatFailure f = new LifeboatFailure(FailureReason.CORRUPT_DB, "bad page");
        assertThat(f.region()).isNull();
        assertThat(f.retriable()).isFalse();
    }

    @Test
    void aReasonIsRequired() {
        assertThatThrownBy(() -> new LifeboatFailure(null, "x")).isInstanceOf(NullPointerException.class);
    }
}
