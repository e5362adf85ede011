package io.tollgate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.wallet.Wallet;
import io.tollgate.wallet.WalletStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The estimates' arithmetic (docs/concepts/estimates.md), edge by edge. */
class ForecastsTest {
    static final Instant T0 = Instant.parse("2026-11-22T18:02:55.401Z");
    static final LocalDate TODAY = LocalDate.parse("2026-11-22");

    @Test
    void theWindowIsTheSevenDaysBeforeTodayAndNoneBeforeTheCreationDay() {
        Forecasts.Window full = Forecasts.Window.of(TODAY, TODAY.minusDays(30));
        assertEquals(new Forecasts.Window(LocalDate.parse("2026-11-15"), LocalDate.parse("2026-11-21"), 7), full);
        assertTrue(full.contains(LocalDate.parse("2026-11-15")) && full.contains(LocalDate.parse("2026-11-21")));
        assertFalse(full.contains(TODAY), "today is partial: not in the window");
        assertFalse(full.contains(LocalDate.parse("2026-11-14")));
        assertEquals(new Forecasts.Window(LocalDate.parse("2026-11-15"), LocalDate.parse("2026-11-21"), 7),
                Forecasts.Window.of(TODAY, TODAY.minusDays(7)), "created 7 days ago: the creation day is the window's first");
        assertEquals(new Forecasts.Window(LocalDate.parse("2026-11-19"), LocalDate.parse("2026-11-21"), 3),
                Forecasts.Window.of(TODAY, TODAY.minusDays(3)));
        assertEquals(new Forecasts.Window(null, null, 0), Forecasts.Window.of(TODAY, TODAY), "created today: no full day yet");
        assertFalse(Forecasts.Window.of(TODAY, TODAY).contains(TODAY.minusDays(1)));
    }

    @Test
    void theAverageIsRoundedHalfUpAndNeverNegative() {
        assertEquals(3, Forecasts.averageDaily(20, 7)); // 2.857
        assertEquals(3, Forecasts.averageDaily(10, 4)); // 2.5 rounds up
        assertEquals(2, Forecasts.averageDaily(9, 4)); // 2.25
        assertEquals(1, Forecasts.averageDaily(4, 7)); // 0.571
        assertEquals(0, Forecasts.averageDaily(3, 7)); // 0.43: rounds to no spend
        assertEquals(0, Forecasts.averageDaily(-700, 7), "net usage below zero (old reversals) is no spend");
        assertEquals(0, Forecasts.averageDaily(700, 0));
        assertEquals(Long.MAX_VALUE / 7, Forecasts.averageDaily(Long.MAX_VALUE, 7)); // divides exactly
        assertEquals(Long.MAX_VALUE / 7, Forecasts.averageDaily(Long.MAX_VALUE - 3, 7), "remainder 4 of 7 rounds up, no overflow");
    }

    @Test
    void unitsAreWholeAndNeverNegative() {
        assertEquals(133, Forecasts.units(1_000_000, 7500));
        assertEquals(0, Forecasts.units(7499, 7500));
        assertEquals(0, Forecasts.units(-5_000_000, 7500));
        assertEquals(1, Forecasts.units(7500, 7500));
    }

    @Test
    void aHorizonIsDaysRoundedDownAndAnExactInstant() {
        Estimates.Horizon h = Forecasts.horizon(10_000_000, 0, 4_000_000, T0);
        assertEquals(new BigDecimal("2.5"), h.inDays());
        assertEquals(T0.plusMillis(216_000_000), h.reachedAt());
        Estimates.Horizon third = Forecasts.horizon(10_000_000, 0, 3_000_000, T0); // 3.333… days
        assertEquals(new BigDecimal("3.3"), third.inDays());
        assertEquals(T0.plusMillis(288_000_000), third.reachedAt()); // 10/3 × 86,400,000 ms exactly
        Estimates.Horizon level = Forecasts.horizon(10_000_000, 5_000_000, 3_000_000, T0);
        assertEquals(5_000_000, level.levelMicros());
        assertEquals(new BigDecimal("1.6"), level.inDays());
        Estimates.Horizon reached = Forecasts.horizon(4_000_000, 5_000_000, 3_000_000, T0);
        assertEquals(new BigDecimal("0.0"), reached.inDays(), "below the level: 0 days");
        assertEquals(T0, reached.reachedAt());
        assertEquals(T0, Forecasts.horizon(5_000_000, 5_000_000, 3_000_000, T0).reachedAt(), "at the level: now");
    }

    @Test
    void aHorizonBeyondAHundredYearsHasNoInstantAndNothingOverflows() {
        Estimates.Horizon edge = Forecasts.horizon(36_500, 0, 1, T0);
        assertEquals(new BigDecimal("36500.0"), edge.inDays());
        assertEquals(T0.plusMillis(36_500L * 86_400_000L), edge.reachedAt());
        Estimates.Horizon beyond = Forecasts.horizon(36_501, 0, 1, T0);
        assertEquals(new BigDecimal("36501.0"), beyond.inDays());
        assertNull(beyond.reachedAt());
        long max = 9_007_199_254_740_991L;
        Estimates.Horizon huge = Forecasts.horizon(max, -max, 1, T0);
        assertEquals(new BigDecimal("18014398509481982.0"), huge.inDays());
        assertNull(huge.reachedAt());
    }

    @Test
    void theMonthProjectionCountsTodayAsTheAverageUnlessItSpentMore() {
        // month so far 10 (today 1), average 3, 8 days after today: 10 - 1 + 3 + 24
        assertEquals(36, Forecasts.projectedMonth(10, 1, 3, 8));
        // today already spent 5 > 3: 10 - 5 + 5 + 24
        assertEquals(34, Forecasts.projectedMonth(10, 5, 3, 8));
        assertEquals(10, Forecasts.projectedMonth(10, 10, 0, 8), "no average: the month so far");
        assertEquals(12, Forecasts.projectedMonth(10, 1, 3, 0), "the last day of the month: today ends at the average");
    }

    @Test
    void theBreakdownAddsUpPerCurrencyAndSaysWhenItIsTruncated() {
        Wallet usd1 = wallet("w_a", "USD", 10_000_000);
        Wallet usd2 = wallet("w_b", "USD", -2_000_000);
        Wallet eur = wallet("w_c", "EUR", 7_000_000);
        Map<String, Map<String, long[]>> figures = Map.of(
                "w_a", Map.of("sms", new long[] {3_000, 2}, "", new long[] {5_000, 1}),
                "w_b", Map.of("sms", new long[] {4_000, 1}, "voice", new long[] {9_000, 3}),
                "w_unlisted", Map.of("sms", new long[] {1, 1}));
        Estimates.BalanceBreakdown b = EstimateService.breakdown(ZoneId.of("UTC"), YearMonth.of(2026, 11), List.of(usd1, usd2, eur),
                1001, figures, T0, null);
        assertEquals(List.of("w_a", "w_b", "w_c"), b.wallets().stream().map(Estimates.WalletBalance::walletId).toList());
        assertEquals(8_000, b.wallets().get(0).monthUsageMicros());
        assertEquals(3, b.wallets().get(0).monthUsageCount());
        assertEquals(List.of(new Estimates.ChannelUsage(null, 5_000, 1), new Estimates.ChannelUsage("sms", 3_000, 2)),
                b.wallets().get(0).byChannel(), "largest first; no channel is null");
        assertEquals(List.of(), b.wallets().get(2).byChannel());
        assertEquals(List.of("EUR", "USD"), b.currencies().stream().map(Estimates.CurrencyBalance::currency).toList());
        Estimates.CurrencyBalance usd = b.currencies().get(1);
        assertEquals(2, usd.walletCount());
        assertEquals(8_000_000, usd.balanceMicros());
        assertEquals(8_000_000, usd.availableMicros());
        assertEquals(21_000, usd.monthUsageMicros());
        assertEquals(7, usd.monthUsageCount());
        assertEquals(List.of(new Estimates.ChannelUsage("voice", 9_000, 3), new Estimates.ChannelUsage("sms", 7_000, 3),
                new Estimates.ChannelUsage(null, 5_000, 1)), usd.byChannel());
        assertTrue(b.truncated(), "1001 wallets, 3 listed");
        assertEquals(1001, b.walletCount());
        assertFalse(EstimateService.breakdown(ZoneId.of("UTC"), YearMonth.of(2026, 11), List.of(usd1), 1, Map.of(), T0, null).truncated());
    }

    private static Wallet wallet(String id, String currency, long balance) {
        return new Wallet(id, "t_x", "", currency, balance, balance, balance, 0, 0, WalletStatus.ACTIVE, List.of(),
                new Wallet.AutoRecharge(false, null, null, null, "ok", false), new Wallet.EmergencyTopUp(false, null, null), null,
                false, 1, T0, T0, List.of());
    }
}
