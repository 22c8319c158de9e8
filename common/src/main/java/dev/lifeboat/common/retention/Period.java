package dev.lifeboat.common.retention;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;

/** The UTC calendar periods of grandfather-father-son retention. Weeks are ISO weeks (Monday first). */
public enum Period {
    HOURLY("hourly"),
    DAILY("daily"),
    WEEKLY("weekly"),
    MONTHLY("monthly"),
    YEARLY("yearly");

    private final String rule;

    Period(String rule) {
        this.rule = rule;
    }

    /** The rule name shown in plans and pruned events. */
    public String rule() {
        return rule;
    }

    /** A label that is equal for two instants exactly when they fall into the same period. */
    public String of(Instant time) {
        ZonedDateTime t = time.atZone(ZoneOffset.UTC);
        return switch (this) {
            case HOURLY -> t.truncatedTo(ChronoUnit.HOURS).toLocalDateTime().toString();
            case DAILY -> t.toLocalDate().toString();
            case WEEKLY -> t.get(IsoFields.WEEK_BASED_YEAR) + "-W" + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case MONTHLY -> t.getYear() + "-" + t.getMonthValue();
            case YEARLY -> Integer.toString(t.getYear());
        };
    }
}
