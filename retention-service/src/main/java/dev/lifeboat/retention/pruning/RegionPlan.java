package dev.lifeboat.retention.pruning;

import java.time.Duration;
import java.time.Instant;

import dev.lifeboat.common.retention.PolicyChoice;
import dev.lifeboat.common.retention.RetentionPlan;

/** The retention plan of one cluster in one region, with what it was computed from. */
public record RegionPlan(String clusterId, String region, PolicyChoice policy, Instant evaluatedAt, Duration grace,
                         RetentionPlan plan) {}
