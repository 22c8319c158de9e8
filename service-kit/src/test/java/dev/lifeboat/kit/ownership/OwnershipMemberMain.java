package dev.lifeboat.kit.ownership;

import java.time.Duration;

import dev.lifeboat.kit.messaging.KafkaClientConfig;

/** A replica in its own JVM for {@link OwnershipMemberIT}: joins the group and waits to be killed. */
public final class OwnershipMemberMain {
    private OwnershipMemberMain() {}

    public static void main(String[] args) throws InterruptedException {
        new OwnershipMember(KafkaClientConfig.bootstrap(args[0]), args[1], args[2], "child",
                Duration.ofMillis(Long.parseLong(args[3])), Duration.ofSeconds(20), new OwnershipListener() {}, null)
                .start();
        Thread.currentThread().join();
    }
}
