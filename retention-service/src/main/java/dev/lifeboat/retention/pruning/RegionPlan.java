package dev.lifeboat.retention.pruning;

import java.time.Duration;
import java.time.Instant;

import dev.lifeboat.retention.policy.PolicyChoice;
import dev.lifeboat.retention.policy.RetentionPlan;

/** The retention plan of one cluster in one region, with what it was computed from. */
public record RegionPlan(String clusterId, String region, PolicyChoice policy, Instant evaluatedAt, Duration grace,
                         RetentionPlan plan) {}
