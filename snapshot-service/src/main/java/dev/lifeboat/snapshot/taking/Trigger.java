package dev.lifeboat.snapshot.taking;

/** Why a snapshot was taken: written into the manifest and the {@code snapshot.taken} event. */
public enum Trigger { SCHEDULE, ON_DEMAND }
