package dev.lifeboat.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** An event of one of Lifeboat's stages: its data is the JSON value of a CloudEvent on Kafka. */
public sealed interface LifeboatEvent
        permits ClusterRegistered, SnapshotTaken, SnapshotVerified, SnapshotReplicated, SnapshotPruned, BackupFailed,
                Audited {
    /** The Kafka key: every topic is keyed by cluster id so one cluster's events stay ordered. */
    String clusterId();

    @JsonIgnore
    String type();

    @JsonIgnore
    String topic();

    /** CloudEvent {@code subject}: the snapshot id where there is one. */
    @JsonIgnore
    default String subject() {
        return null;
    }

    /**
     * CloudEvent {@code id}. Deterministic where the event describes a fact that happens once
     * (so consumers and readers can de-duplicate redeliveries), random otherwise.
     */
    @JsonIgnore
    String eventId();
}
