package dev.lifeboat.common.retention;

import dev.lifeboat.events.ClusterSpec.RetentionSpec;

/**
 * The rules of one retention policy. A snapshot is kept if any rule keeps it; 0 switches a rule
 * off. GFS counts ({@code hourly} … {@code yearly}) keep the newest verified snapshot of each of
 * the K most recent UTC periods that hold a verified snapshot; {@code maxAgeDays} keeps every
 * complete snapshot younger than that many days.
 */
public record RetentionPolicy(int keepLast, int hourly, int daily, int weekly, int monthly, int yearly,
                              int maxAgeDays) {

    public RetentionPolicy {
        if (keepLast < 0 || hourly < 0 || daily < 0 || weekly < 0 || monthly < 0 || yearly < 0 || maxAgeDays < 0) {
            throw new IllegalArgumentException("retention counts must not be negative: " + describe(keepLast,
                    hourly, daily, weekly, monthly, yearly, maxAgeDays));
        }
    }

    /** A policy from a cluster's spec: a source is taken as a whole, unset rules are off. */
    public static RetentionPolicy of(RetentionSpec spec) {
        return new RetentionPolicy(orZero(spec.keepLast()), orZero(spec.hourly()), orZero(spec.daily()),
                orZero(spec.weekly()), orZero(spec.monthly()), orZero(spec.yearly()), orZero(spec.maxAgeDays()));
    }

    /** How many periods the GFS rule of {@code period} keeps. */
    public int count(Period period) {
        return switch (period) {
            case HOURLY -> hourly;
            case DAILY -> daily;
            case WEEKLY -> weekly;
            case MONTHLY -> monthly;
            case YEARLY -> yearly;
        };
    }

    /** e.g. {@code keep-last=24 hourly=24 daily=7 weekly=4 monthly=12 yearly=0 max-age-days=0}. */
    public String describe() {
        return describe(keepLast, hourly, daily, weekly, monthly, yearly, maxAgeDays);
    }

    private static String describe(int keepLast, int hourly, int daily, int weekly, int monthly, int yearly,
                                   int maxAgeDays) {
        return "keep-last=" + keepLast + " hourly=" + hourly + " daily=" + daily + " weekly=" + weekly
                + " monthly=" + monthly + " yearly=" + yearly + " max-age-days=" + maxAgeDays;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
