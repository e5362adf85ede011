package io.tollgate.infra;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The one way Tollgate writes an instant: RFC 3339 in UTC with exactly three fraction digits,
 * {@code 2026-11-22T18:02:55.401Z}. Every instant Tollgate stores is taken at millisecond precision
 * ({@link #now()}), and the database columns that hold answered instants are {@code timestamptz(3)}, so the
 * instant an answer shows and the instant stored are the same value (docs/reference/api.md#conventions).
 */
public final class Times {
    /** Fixed width: {@link Instant#toString()} drops a zero fraction and prints micros or nanos when present. */
    public static final DateTimeFormatter RFC3339_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** Now, at millisecond precision: what Tollgate stores and answers. */
    public static Instant now() {
        return Clock.systemUTC().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Now as an OffsetDateTime in UTC, at millisecond precision, for database columns. */
    public static OffsetDateTime nowUtc() {
        return now().atOffset(ZoneOffset.UTC);
    }

    public static String format(Instant instant) {
        return RFC3339_MILLIS.format(instant);
    }

    public static String formatMillis(long epochMillis) {
        return format(Instant.ofEpochMilli(epochMillis));
    }
}
