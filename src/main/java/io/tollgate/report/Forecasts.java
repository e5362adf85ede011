package io.tollgate.report;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The arithmetic behind the estimates (docs/concepts/estimates.md), pure and in integer micros: the trailing window,
 * the average daily usage, units a balance buys, when a falling balance reaches a level, the month's projection.
 * BigDecimal and BigInteger appear only where a figure leaves the range of a long (days to a distant level); none of
 * this runs on the debit path.
 */
final class Forecasts {
    static final int TRAILING_DAYS = 7;
    static final long DAY_MILLIS = 86_400_000L;
    /** Beyond this many days a level's instant is not given (it would be more than 100 years away). */
    static final long HORIZON_DAYS = 36_500;

    private Forecasts() {
    }

    /** The trailing window: the days before today, at most {@link #TRAILING_DAYS}, none before the creation day. */
    record Window(LocalDate firstDay, LocalDate lastDay, int days) {
        static Window of(LocalDate today, LocalDate createdOn) {
            LocalDate last = today.minusDays(1);
            LocalDate first = today.minusDays(TRAILING_DAYS);
            if (createdOn.isAfter(first)) {
                first = createdOn;
            }
            int days = first.isAfter(last) ? 0 : (int) ChronoUnit.DAYS.between(first, last) + 1;
            return days == 0 ? new Window(null, null, 0) : new Window(first, last, days);
        }

        boolean contains(LocalDate day) {
            return days > 0 && !day.isBefore(firstDay) && !day.isAfter(lastDay);
        }
    }

    /** {@code usageMicros ÷ days}, rounded half up; 0 for an empty window or one without usage (net usage ≤ 0). */
    static long averageDaily(long usageMicros, int days) {
        if (days <= 0 || usageMicros <= 0) {
            return 0;
        }
        return usageMicros / days + (usageMicros % days * 2 >= days ? 1 : 0);
    }

    /** Units a room above a floor buys at a unit price: {@code floor(room ÷ price)}, at least 0. */
    static long units(long roomMicros, long unitPriceMicros) {
        return unitPriceMicros <= 0 || roomMicros <= 0 ? 0 : roomMicros / unitPriceMicros;
    }

    /**
     * When a balance, falling by {@code averageMicros} a day from {@code from}, reaches {@code levelMicros}: in days (one
     * decimal, rounded down) and as an instant (exact to the millisecond, null beyond {@link #HORIZON_DAYS}). Already at
     * or below the level: 0 days, at {@code from}. {@code averageMicros} must be above 0.
     */
    static Estimates.Horizon horizon(long balanceMicros, long levelMicros, long averageMicros, Instant from) {
        BigInteger room = BigInteger.valueOf(balanceMicros).subtract(BigInteger.valueOf(levelMicros));
        if (room.signum() <= 0) {
            return new Estimates.Horizon(levelMicros, BigDecimal.ZERO.setScale(1), from);
        }
        BigInteger average = BigInteger.valueOf(averageMicros);
        BigDecimal days = new BigDecimal(room).divide(new BigDecimal(average), 1, RoundingMode.DOWN);
        Instant at = null;
        if (room.compareTo(average.multiply(BigInteger.valueOf(HORIZON_DAYS))) <= 0) {
            at = from.plusMillis(room.multiply(BigInteger.valueOf(DAY_MILLIS)).divide(average).longValueExact());
        }
        return new Estimates.Horizon(levelMicros, days, at);
    }

    /**
     * This month's usage at its end if today ends at the average (or at what it already spent, if more) and every later
     * day of the month spends the average: {@code month − today + max(today, average) + average × daysAfterToday}.
     */
    static long projectedMonth(long monthUsageMicros, long todayUsageMicros, long averageMicros, int daysAfterToday) {
        long rest = Math.multiplyExact(averageMicros, (long) daysAfterToday);
        return Math.addExact(Math.addExact(monthUsageMicros - todayUsageMicros, Math.max(todayUsageMicros, averageMicros)), rest);
    }
}
