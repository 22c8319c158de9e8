package dev.lifeboat.events;

public enum Severity {
    WARNING, CRITICAL
}
