package io.tollgate.report;

import static io.tollgate.support.TestApi.UNIT;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.infra.Times;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.kafka.KafkaSetup;
import io.tollgate.outbox.OutboxEvent;
import io.tollgate.support.Ledger;
import io.tollgate.support.Poll;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Estimates and the balance breakdown against expectations computed here, independently of the service: wallets get a
 * history of events published to Kafka at chosen tenant-local times (as the relay would publish them), the ledger
 * writer files them, and the wallet is then rebuilt into Redis from the ledger, so its live balance is the history's
 * last balance. The tenant's zone is chosen so that its date differs from UTC's date while the test runs: a figure
 * computed on UTC days instead of tenant-local days cannot pass. Window sums are also checked against PostgreSQL's own
 * time zone arithmetic over the ledger rows.
 */
@QuarkusTest
class EstimatesIT {
    static final String PROBLEM = "https://tollgate.dev/problems/";
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** Net usage of a wallet per tenant-local day of its usage (a reversal: its debit's day), per PostgreSQL. */
    static final String ORACLE_DAYS = """
            select coalesce(sum(case when type = 'debit.approved' then amount_micros else -amount_micros end), 0)
            from ledger_entry where wallet_id = ? and type in ('debit.approved', 'debit.reversed')
              and (coalesce((data->>'debitOccurredAt')::timestamptz, occurred_at) at time zone ?)::date between ?::date and ?::date""";
    /** A wallet's usage per channel in one tenant-local month, per PostgreSQL. */
    static final String ORACLE_CHANNELS = """
            select coalesce(data->>'channel', ''),
                sum(case when type = 'debit.approved' then amount_micros else -amount_micros end),
                count(*) filter (where type = 'debit.approved')
            from ledger_entry where wallet_id = ? and type in ('debit.approved', 'debit.reversed')
              and to_char(coalesce((data->>'debitOccurredAt')::timestamptz, occurred_at) at time zone ?, 'YYYY-MM') = ?
            group by 1""";

    @Inject
    TollgateConfig config;
    @Inject
    KafkaSetup kafka;

    // ---- estimates ----

    @Test
    void estimatesFollowSevenTenantLocalDaysOfKnownSpendTheRateCardAndTheFloors() throws Exception {
        ZoneId zone = tellingZone();
        awayFromMidnight(zone);
        String tenant = tenantIn(zone);
        String viewer = TestApi.newKey(tenant, "viewer");
        TestApi.admin(tenant).body("""
                {"items":{"sms":{"unitPriceMicros":7500,"countries":{"DE":79000,"NP":12000}},
                          "whatsapp.marketing":{"unitPriceMicros":25000}}}""").put("/v1/rate-cards/USD").then().statusCode(200);
        LocalDate today = LocalDate.now(zone);
        // A: auto-recharge on (threshold 20, amount 50), floor 0. B: auto-recharge off, a credit line (floor -2) and an
        // automation floor of 5, and a today that already spent more than the average.
        History a = spendingHistory("A", tenant, zone, today, """
                {"name":"A","floorMicros":0,"automationFloorMicros":5000000,"channels":[],
                 "autoRecharge":{"enabled":true,"thresholdMicros":20000000,"amountMicros":50000000}}""", 700_000);
        History b = spendingHistory("B", tenant, zone, today, """
                {"name":"B","floorMicros":-2000000,"automationFloorMicros":5000000,"channels":[],
                 "autoRecharge":{"enabled":false,"thresholdMicros":20000000,"amountMicros":50000000}}""", 9_000_000);
        Ledger ledger = new Ledger(config);
        for (History h : List.of(a, b)) {
            h.publishAndRebuild(ledger);
        }

        for (History h : List.of(a, b)) {
            JsonNode e = estimates(viewer, h.wallet);
            String at = h.name + ": ";
            assertEquals(h.wallet, e.get("walletId").asText());
            assertEquals("USD", e.get("currency").asText());
            assertEquals(zone.getId(), e.get("timeZone").asText());
            assertEquals(h.balance, e.get("balanceMicros").asLong(), at + "the live balance: the history's last");
            assertEquals(h.balance - h.floor, e.get("availableMicros").asLong());
            Instant readAt = Instant.parse(e.get("balanceReadAt").asText());
            assertTrue(Duration.between(readAt, Instant.now()).abs().toSeconds() < 60, at + "balanceReadAt is now");
            assertEquals(Times.format(h.lastAt), e.get("asOf").asText(), at + "asOf: the newest ledger movement");

            // the window: the 7 tenant-local days before today, oldest first, days without usage as 0
            JsonNode daily = e.get("dailyUsage");
            assertEquals(today.toString(), daily.get("today").asText());
            assertEquals(today.minusDays(7).toString(), daily.get("firstDay").asText());
            assertEquals(today.minusDays(1).toString(), daily.get("lastDay").asText());
            assertEquals(7, daily.get("days").asInt());
            long windowSum = 0;
            for (int i = 0; i < 7; i++) {
                LocalDate day = today.minusDays(7 - i);
                long want = h.usageByDay.getOrDefault(day, 0L);
                windowSum += want;
                assertEquals(day.toString(), daily.get("byDay").get(i).get("day").asText());
                assertEquals(want, daily.get("byDay").get(i).get("usageMicros").asLong(), at + day);
            }
            assertEquals(windowSum, daily.get("usageMicros").asLong());
            assertEquals(windowSum, ledger.count(ORACLE_DAYS, h.wallet, zone.getId(), today.minusDays(7).toString(),
                    today.minusDays(1).toString()), at + "PostgreSQL's own day arithmetic over the ledger agrees");
            long average = (windowSum * 2 + 7) / 14; // half up
            assertEquals(average, daily.get("averageDailyUsageMicros").asLong());
            assertTrue(average > 0);
            long todayUsage = h.usageByDay.get(today);
            assertEquals(todayUsage, daily.get("todayUsageMicros").asLong(), at + "today's partial day, not in the average");

            // runway: to the automation floor and to zero, at the average, from the balance's read time
            JsonNode runway = e.get("runway");
            assertEquals(average, runway.get("averageDailyUsageMicros").asLong());
            assertEquals(h.name.equals("B"), runway.get("automationFloorApplies").asBoolean(), at + "only without auto-recharge");
            assertHorizon(at + "to the automation floor", runway.get("toAutomationFloor"), h.balance, 5 * UNIT, average, readAt);
            assertHorizon(at + "to zero", runway.get("toZero"), h.balance, 0, average, readAt);

            // the month: so far from the monthly totals, then today at max(today, average) and the average for each later day
            YearMonth month = YearMonth.from(today);
            long monthSoFar = h.usageByMonth.getOrDefault(month, new long[2])[0];
            JsonNode m = e.get("month");
            assertEquals(month.toString(), m.get("month").asText());
            assertEquals(monthSoFar, m.get("usageMicros").asLong(), at + "month so far");
            assertEquals(h.usageByMonth.getOrDefault(month, new long[2])[1], m.get("usageCount").asLong());
            int after = month.lengthOfMonth() - today.getDayOfMonth();
            assertEquals(after, m.get("daysAfterToday").asInt());
            assertEquals(monthSoFar - todayUsage + Math.max(todayUsage, average) + average * after,
                    m.get("projectedUsageMicros").asLong(), at + "projection");

            // units the balance buys: manual down to the floor, automated down to the automation floor unless auto-recharge is on
            long manualRoom = h.balance - h.floor;
            long automatedRoom = h.name.equals("A") ? manualRoom : h.balance - 5 * UNIT;
            JsonNode items = e.get("items");
            assertEquals(2, items.size(), at + "one entry per item of the card");
            assertEquals("sms", items.get(0).get("item").asText());
            assertUnits(at + "sms", items.get(0), 7500, manualRoom, automatedRoom);
            assertEquals(2, items.get(0).get("destinations").size());
            assertEquals("DE", items.get(0).get("destinations").get(0).get("country").asText());
            assertUnits(at + "sms to DE", items.get(0).get("destinations").get(0), 79_000, manualRoom, automatedRoom);
            assertEquals("NP", items.get(0).get("destinations").get(1).get("country").asText());
            assertUnits(at + "sms to NP", items.get(0).get("destinations").get(1), 12_000, manualRoom, automatedRoom);
            assertEquals("whatsapp.marketing", items.get(1).get("item").asText());
            assertUnits(at + "whatsapp", items.get(1), 25_000, manualRoom, automatedRoom);
            assertEquals(0, items.get(1).get("destinations").size());
            assertTrue(automatedRoom < manualRoom || h.name.equals("A"));

            // auto-recharge: A's next trigger is when the balance reaches its threshold; B's is off, so there is none
            JsonNode ar = e.get("autoRecharge");
            if (h.name.equals("A")) {
                assertEquals(20 * UNIT, ar.get("thresholdMicros").asLong());
                assertEquals(50 * UNIT, ar.get("amountMicros").asLong());
                assertEquals(false, ar.get("triggered").asBoolean());
                assertHorizon(at + "next auto-recharge", ar.get("nextTrigger"), h.balance, 20 * UNIT, average, readAt);
            } else {
                assertTrue(ar.isNull(), at + "auto-recharge off: no trigger estimate, got " + ar);
            }
        }
    }

    @Test
    void withoutSpendThereIsNoRunwayAndNoTriggerWithoutACardNoItemsAndASuspendedWalletBuysNothing() throws Exception {
        ZoneId zone = tellingZone();
        awayFromMidnight(zone);
        String tenant = tenantIn(zone);
        String owner = TestApi.newKey(tenant, "owner");
        String pipeline = TestApi.newKey(tenant, "pipeline");
        LocalDate today = LocalDate.now(zone);
        // created 20 days ago, spent 12 days ago only: a full window without usage
        History quiet = new History("C", tenant, zone);
        quiet.created(localTime(zone, today.minusDays(20), 12, 0), """
                {"name":"C","floorMicros":0,"automationFloorMicros":5000000,"channels":[],
                 "autoRecharge":{"enabled":true,"thresholdMicros":1000000,"amountMicros":10000000}}""");
        quiet.credited(40 * UNIT, localTime(zone, today.minusDays(20), 12, 1));
        quiet.debit(3 * UNIT, localTime(zone, today.minusDays(12), 9, 0), "sms", "sms");
        quiet.publishAndRebuild(new Ledger(config));
        JsonNode e = estimates(owner, quiet.wallet);
        assertEquals(7, e.get("dailyUsage").get("days").asInt());
        assertEquals(0, e.get("dailyUsage").get("usageMicros").asLong());
        assertEquals(0, e.get("dailyUsage").get("averageDailyUsageMicros").asLong());
        assertTrue(e.get("runway").isNull(), "no spend in the window: no runway, got " + e.get("runway"));
        assertTrue(e.get("autoRecharge").isNull(), "auto-recharge on but no spend: no trigger estimate");
        assertEquals(0, e.get("month").get("projectedUsageMicros").asLong() - e.get("month").get("usageMicros").asLong(),
                "no average: the projection is the month so far");
        assertEquals(0, e.get("items").size(), "no rate card in USD: an empty list, not an error");

        // created today through the API, auto-recharge on, spending today: the window is empty, so no average yet
        String fresh = TestApi.newWallet(tenant, """
                {"currency":"USD","automationFloorMicros":0,"autoRecharge":{"enabled":true,"thresholdMicros":1000000,"amountMicros":10000000}}""");
        TestApi.credit(tenant, fresh, 10 * UNIT).then().statusCode(200);
        TestApi.debit(pipeline, fresh, "{\"amountMicros\":1500000,\"channel\":\"sms\"}").then().statusCode(200)
                .body("decision", equalTo("approved"));
        assertTrue(Poll.until(30, () -> estimates(owner, fresh).get("month").get("usageMicros").asLong() == 1_500_000));
        e = estimates(owner, fresh);
        assertEquals(0, e.get("dailyUsage").get("days").asInt());
        assertTrue(e.get("dailyUsage").get("firstDay").isNull() && e.get("dailyUsage").get("lastDay").isNull());
        assertEquals(1_500_000, e.get("dailyUsage").get("todayUsageMicros").asLong());
        assertTrue(e.get("runway").isNull(), "created today: no full day behind an average");
        assertTrue(e.get("autoRecharge").isNull());
        assertEquals(1_500_000, e.get("month").get("projectedUsageMicros").asLong());
        assertEquals(8_500_000, e.get("balanceMicros").asLong());

        // with a card: units; suspended: none (outbound debits would be declined)
        TestApi.as(owner).body("{\"items\":{\"sms\":{\"unitPriceMicros\":7500}}}").put("/v1/rate-cards/USD").then().statusCode(200);
        JsonNode sms = estimates(owner, fresh).get("items").get(0);
        assertEquals(8_500_000 / 7500, sms.get("manualUnits").asLong());
        assertEquals(8_500_000 / 7500, sms.get("automatedUnits").asLong());
        TestApi.as(owner).body("{\"status\":\"suspended\"}").patch("/v1/wallets/" + fresh).then().statusCode(200);
        sms = estimates(owner, fresh).get("items").get(0);
        assertEquals(0, sms.get("manualUnits").asLong());
        assertEquals(0, sms.get("automatedUnits").asLong());
        assertEquals("suspended", estimates(owner, fresh).get("status").asText());
    }

    @Test
    void badRequestsAreProblemsAndNobodyReadsAnotherTenantsWallet() {
        String tenant = TestApi.newTenant();
        String viewer = TestApi.newKey(tenant, "viewer");
        String owner = TestApi.newKey(tenant, "owner");
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String mine = TestApi.fundedWallet(tenant, UNIT, 0, 0);
        String theirs = TestApi.fundedWallet(TestApi.newTenant(), UNIT, 0, 0);
        for (String id : List.of(theirs, "w_doesnotexist0000000", "w_bad!id", "w_" + "x".repeat(63), "w%20x")) {
            TestApi.as(viewer).get("/v1/wallets/" + id + "/estimates").then().statusCode(404)
                    .contentType("application/problem+json").body("type", equalTo(PROBLEM + "wallet-not-found"));
        }
        TestApi.as(pipeline).get("/v1/wallets/" + mine + "/estimates").then().statusCode(403).body("type", equalTo(PROBLEM + "forbidden"));
        TestApi.as(pipeline).get("/v1/balance-breakdown").then().statusCode(403).body("type", equalTo(PROBLEM + "forbidden"));
        io.restassured.RestAssured.given().get("/v1/balance-breakdown").then().statusCode(401)
                .body("type", equalTo(PROBLEM + "unauthenticated"));
        TestApi.as(TestApi.ADMIN_KEY).get("/v1/balance-breakdown").then().statusCode(400).body("type", equalTo(PROBLEM + "tenant-required"));
        for (String key : List.of(viewer, owner)) {
            TestApi.as(key).get("/v1/wallets/" + mine + "/estimates").then().statusCode(200).body("walletId", equalTo(mine));
            TestApi.as(key).get("/v1/balance-breakdown").then().statusCode(200).body("wallets.walletId", equalTo(List.of(mine)));
        }
        TestApi.admin(tenant).get("/v1/wallets/" + mine + "/estimates").then().statusCode(200);
        TestApi.admin(tenant).get("/v1/balance-breakdown").then().statusCode(200).body("walletCount", TestApi.micros(1));
    }

    // ---- balance breakdown ----

    @Test
    void theBreakdownListsEveryWalletWithItsBalanceAndThisMonthPerChannelAndTotalsPerCurrency() throws Exception {
        ZoneId zone = tellingZone();
        awayFromMidnight(zone);
        String tenant = tenantIn(zone);
        String viewer = TestApi.newKey(tenant, "viewer");
        String pipeline = TestApi.newKey(tenant, "pipeline");
        TestApi.as(viewer).get("/v1/balance-breakdown").then().statusCode(200).body("wallets", org.hamcrest.Matchers.empty())
                .body("currencies", org.hamcrest.Matchers.empty()).body("walletCount", TestApi.micros(0))
                .body("truncated", equalTo(false)).body("asOf", org.hamcrest.Matchers.nullValue());
        YearMonth month = YearMonth.now(zone);
        // a shared wallet carrying three channels, one per phone number, one in EUR without usage
        String shared = TestApi.newWallet(tenant, "{\"currency\":\"USD\",\"name\":\"shared\",\"automationFloorMicros\":0,"
                + "\"channels\":[\"sms\",\"whatsapp\",\"voice\"]}");
        TestApi.credit(tenant, shared, 50 * UNIT).then().statusCode(200);
        String phone = TestApi.newWallet(tenant, "{\"currency\":\"USD\",\"name\":\"+4915100000001\",\"automationFloorMicros\":0}");
        TestApi.credit(tenant, phone, 20 * UNIT).then().statusCode(200);
        String euro = TestApi.newWallet(tenant, "{\"currency\":\"EUR\",\"name\":\"eu\",\"automationFloorMicros\":0}");
        TestApi.credit(tenant, euro, 30 * UNIT).then().statusCode(200);
        Map<String, Map<String, long[]>> want = new HashMap<>(); // wallet → channel → {usage, count}
        debit(pipeline, shared, 1_100_000, "sms", want);
        String reversed = debit(pipeline, shared, 2_000_000, "sms", want);
        debit(pipeline, shared, 3_300_000, "whatsapp", want);
        debit(pipeline, shared, 700_000, null, want);
        debit(pipeline, shared, 4_000_000, "voice", want);
        debit(pipeline, phone, 1_000_000, "sms", want);
        TestApi.as(pipeline).header("Idempotency-Key", "rev-" + reversed).body("{\"amountMicros\":500000}")
                .post("/v1/wallets/" + shared + "/debits/" + reversed + "/reversals").then().statusCode(200);
        want.get(shared).get("sms")[0] -= 500_000;
        // a wallet with a history: its debit at the first instant of this local month counts, the one a millisecond before does not
        Instant monthStart = month.atDay(1).atStartOfDay(zone).toInstant();
        History h = new History("H", tenant, zone);
        h.created(monthStart.minus(Duration.ofDays(40)), "{\"name\":\"history\",\"automationFloorMicros\":0,\"channels\":[]}");
        h.credited(10 * UNIT, monthStart.minus(Duration.ofDays(40)).plusSeconds(60));
        h.debit(2_000_000, monthStart.minusMillis(1), "sms", "sms");
        h.debit(1_250_000, monthStart, "sms", "sms");
        Ledger ledger = new Ledger(config);
        h.publishAndRebuild(ledger);
        want.computeIfAbsent(h.wallet, w -> new HashMap<>()).put("sms", new long[] {1_250_000, 1});
        Map<String, Long> balances = Map.of(shared, 50 * UNIT - 1_100_000 - 2_000_000 - 3_300_000 - 700_000 - 4_000_000 + 500_000,
                phone, 19 * UNIT, euro, 30 * UNIT, h.wallet, h.balance);
        for (String w : balances.keySet()) { // the ledger has every movement of every wallet
            long seq = TestApi.admin(tenant).get("/v1/wallets/" + w).then().extract().jsonPath().getLong("seq");
            assertEquals(seq, ledger.awaitSeq(w, seq).size(), w);
        }

        JsonNode b = JSON.readTree(TestApi.as(viewer).get("/v1/balance-breakdown").then().statusCode(200).extract().asString());
        assertEquals(zone.getId(), b.get("timeZone").asText());
        assertEquals(month.toString(), b.get("month").asText());
        assertEquals(4, b.get("walletCount").asLong());
        assertEquals(false, b.get("truncated").asBoolean());
        assertTrue(Duration.between(Instant.parse(b.get("balancesReadAt").asText()), Instant.now()).abs().toSeconds() < 60);
        assertTrue(b.get("asOf").isTextual());
        List<String> ids = new ArrayList<>(new TreeMap<>(balances).keySet());
        assertEquals(ids.size(), b.get("wallets").size());
        Map<String, long[]> perCurrency = new TreeMap<>(); // {wallets, balance, usage, count}
        Map<String, Map<String, long[]>> channelsPerCurrency = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode w = b.get("wallets").get(i);
            String id = ids.get(i);
            assertEquals(id, w.get("walletId").asText(), "sorted by id");
            JsonNode live = JSON.readTree(TestApi.as(viewer).get("/v1/wallets/" + id).then().statusCode(200).extract().asString());
            assertEquals(balances.get(id), w.get("balanceMicros").asLong(), id + " balance");
            assertEquals(live.get("balanceMicros").asLong(), w.get("balanceMicros").asLong(), id + " balance as the wallet shows it");
            assertEquals(live.get("availableMicros").asLong(), w.get("availableMicros").asLong());
            assertEquals(live.get("automatedAvailableMicros").asLong(), w.get("automatedAvailableMicros").asLong());
            assertEquals(live.get("name").asText(), w.get("name").asText());
            assertEquals(live.get("currency").asText(), w.get("currency").asText());
            assertEquals("active", w.get("status").asText());
            Map<String, long[]> channels = want.getOrDefault(id, Map.of());
            assertEquals(channels.size(), w.get("byChannel").size(), id + " channels: " + w.get("byChannel"));
            long usage = 0;
            long count = 0;
            long previous = Long.MAX_VALUE;
            for (JsonNode c : w.get("byChannel")) {
                String channel = c.get("channel").isNull() ? "" : c.get("channel").asText();
                assertTrue(channels.containsKey(channel), id + ": a channel it did not use: " + c);
                assertEquals(channels.get(channel)[0], c.get("usageMicros").asLong(), id + " " + channel);
                assertEquals(channels.get(channel)[1], c.get("usageCount").asLong(), id + " " + channel);
                assertTrue(c.get("usageMicros").asLong() <= previous, "largest first");
                previous = c.get("usageMicros").asLong();
                usage += channels.get(channel)[0];
                count += channels.get(channel)[1];
            }
            assertEquals(usage, w.get("monthUsageMicros").asLong(), id);
            assertEquals(count, w.get("monthUsageCount").asLong(), id);
            Map<String, long[]> oracle = new HashMap<>();
            ledger.query(ORACLE_CHANNELS, id, zone.getId(), month.toString()).forEach(row -> oracle.put((String) row.get(0),
                    new long[] {((Number) row.get(1)).longValue(), ((Number) row.get(2)).longValue()}));
            assertEquals(oracle.keySet(), channels.keySet(), id + ": the ledger's channels this month");
            oracle.forEach((channel, v) -> assertEquals(v[0], channels.get(channel)[0], id + " " + channel + " per the ledger"));
            long[] t = perCurrency.computeIfAbsent(live.get("currency").asText(), c -> new long[4]);
            t[0]++;
            t[1] += balances.get(id);
            t[2] += usage;
            t[3] += count;
            Map<String, long[]> cc = channelsPerCurrency.computeIfAbsent(live.get("currency").asText(), c -> new HashMap<>());
            channels.forEach((channel, v) -> {
                long[] sum = cc.computeIfAbsent(channel, k -> new long[2]);
                sum[0] += v[0];
                sum[1] += v[1];
            });
        }
        assertEquals(List.of("EUR", "USD"), List.copyOf(perCurrency.keySet()));
        for (int i = 0; i < 2; i++) {
            JsonNode c = b.get("currencies").get(i);
            long[] t = perCurrency.get(c.get("currency").asText());
            assertEquals(t[0], c.get("walletCount").asLong());
            assertEquals(t[1], c.get("balanceMicros").asLong(), c.get("currency") + " balances");
            assertEquals(t[1], c.get("availableMicros").asLong(), "floors 0: available = balance");
            assertEquals(t[2], c.get("monthUsageMicros").asLong());
            assertEquals(t[3], c.get("monthUsageCount").asLong());
            Map<String, long[]> cc = channelsPerCurrency.get(c.get("currency").asText());
            assertEquals(cc.size(), c.get("byChannel").size());
            for (JsonNode ch : c.get("byChannel")) {
                long[] v = cc.get(ch.get("channel").isNull() ? "" : ch.get("channel").asText());
                assertTrue(v != null, c.get("currency") + ": a channel none of its wallets used: " + ch);
                assertEquals(v[0], ch.get("usageMicros").asLong());
                assertEquals(v[1], ch.get("usageCount").asLong());
            }
        }
        JsonNode usd = b.get("currencies").get(1);
        assertEquals(3, usd.get("walletCount").asLong());
        // sms: 1.1 + 2 - 0.5 (shared) + 1 (phone) + 1.25 (history, this month only); then voice 4, whatsapp 3.3, no channel 0.7
        assertEquals("sms", usd.get("byChannel").get(0).get("channel").asText());
        assertEquals(4_850_000, usd.get("byChannel").get(0).get("usageMicros").asLong());
        assertEquals(4, usd.get("byChannel").get(0).get("usageCount").asLong());
        assertEquals(List.of("sms", "voice", "whatsapp", "null"), List.of(usd.get("byChannel").get(0).get("channel").asText(),
                usd.get("byChannel").get(1).get("channel").asText(), usd.get("byChannel").get(2).get("channel").asText(),
                String.valueOf(usd.get("byChannel").get(3).get("channel").textValue())));
        assertEquals(0, b.get("currencies").get(0).get("monthUsageMicros").asLong(), "EUR: no usage");
        assertEquals(30 * UNIT, b.get("currencies").get(0).get("balanceMicros").asLong());
    }

    // ---- helpers ----

    private static String debit(String pipeline, String wallet, long micros, String channel, Map<String, Map<String, long[]>> want) {
        String body = "{\"amountMicros\":" + micros + (channel == null ? "" : ",\"channel\":\"" + channel + "\"") + "}";
        String debitId = TestApi.debit(pipeline, wallet, body).then().statusCode(200).body("decision", equalTo("approved"))
                .extract().path("debitId");
        long[] v = want.computeIfAbsent(wallet, w -> new HashMap<>()).computeIfAbsent(channel == null ? "" : channel, c -> new long[2]);
        v[0] += micros;
        v[1]++;
        return debitId;
    }

    private static void assertUnits(String what, JsonNode entry, long unitPrice, long manualRoom, long automatedRoom) {
        assertEquals(unitPrice, entry.get("unitPriceMicros").asLong(), what);
        assertEquals(Math.max(0, manualRoom / unitPrice), entry.get("manualUnits").asLong(), what + " manual");
        assertEquals(Math.max(0, automatedRoom / unitPrice), entry.get("automatedUnits").asLong(), what + " automated");
    }

    /** (balance − level) ÷ average days, one decimal rounded down, and the instant exact to the millisecond from readAt. */
    private static void assertHorizon(String what, JsonNode h, long balance, long level, long average, Instant readAt) {
        assertEquals(level, h.get("levelMicros").asLong(), what);
        long room = balance - level;
        assertTrue(room > 0, what + ": the test means a level still ahead");
        BigDecimal days = BigDecimal.valueOf(room).divide(BigDecimal.valueOf(average), 1, RoundingMode.DOWN);
        assertEquals(0, days.compareTo(h.get("inDays").decimalValue()), what + " days: want " + days + ", got " + h.get("inDays"));
        long millis = BigInteger.valueOf(room).multiply(BigInteger.valueOf(86_400_000L)).divide(BigInteger.valueOf(average)).longValueExact();
        assertEquals(Times.format(readAt.plusMillis(millis)), h.get("reachedAt").asText(), what + " instant");
    }

    private static JsonNode estimates(String key, String wallet) {
        try {
            String body = TestApi.as(key).get("/v1/wallets/" + wallet + "/estimates").then().statusCode(200).extract().asString();
            java.util.regex.Matcher days = java.util.regex.Pattern.compile("\"inDays\":([^,}]*)").matcher(body);
            while (days.find()) {
                assertTrue(days.group(1).matches("\\d+\\.\\d"), "days with one fraction digit: " + days.group(1));
            }
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A zone whose date is not UTC's date now: Pago Pago (UTC−11, no DST) before 10:00 UTC, Kiritimati (UTC+14, no DST)
     * from then on. A day or month taken in UTC instead of the tenant's zone is then another day.
     */
    static ZoneId tellingZone() {
        ZoneId zone = ZoneId.of(Instant.now().atZone(ZoneOffset.UTC).getHour() < 10 ? "Pacific/Pago_Pago" : "Pacific/Kiritimati");
        assertNotEquals(LocalDate.now(ZoneOffset.UTC), LocalDate.now(zone), "the zone's date differs from UTC's");
        return zone;
    }

    /** Waits past the zone's next midnight if it is less than 3 minutes away, so one test sees one local day. */
    static void awayFromMidnight(ZoneId zone) throws InterruptedException {
        Instant midnight = LocalDate.now(zone).plusDays(1).atStartOfDay(zone).toInstant();
        Duration left = Duration.between(Instant.now(), midnight);
        if (left.compareTo(Duration.ofMinutes(3)) < 0) {
            Thread.sleep(left.toMillis() + 1000);
        }
        // and the UTC date, which tellingZone() relies on
        Instant utcMidnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        left = Duration.between(Instant.now(), utcMidnight);
        if (left.compareTo(Duration.ofMinutes(3)) < 0) {
            Thread.sleep(left.toMillis() + 1000);
        }
    }

    private static String tenantIn(ZoneId zone) {
        String tenant = TestApi.newTenant();
        TestApi.admin(tenant).body("{\"timeZone\":\"" + zone.getId() + "\"}").put("/v1/report-settings").then().statusCode(200);
        return tenant;
    }

    private static Instant localTime(ZoneId zone, LocalDate day, int hour, int minute) {
        return day.atTime(LocalTime.of(hour, minute)).atZone(zone).toInstant();
    }

    /**
     * Ten days of a wallet: created and credited 300 USD ten days ago; a large debit a millisecond before the window; known
     * debits on the window's days (its first instant and its last included; one day without usage; a free debit; a debit
     * partly reversed today, which counts on its debit's day); {@code todayMicros} spent at today's first instant.
     */
    private History spendingHistory(String name, String tenant, ZoneId zone, LocalDate today, String settings, long todayMicros) {
        History h = new History(name, tenant, zone);
        h.created(localTime(zone, today.minusDays(10), 12, 0), settings);
        h.credited(300 * UNIT, localTime(zone, today.minusDays(10), 12, 1));
        Instant windowStart = today.minusDays(7).atStartOfDay(zone).toInstant();
        h.debit(50 * UNIT, windowStart.minusMillis(1), "sms", "sms"); // the day before the window
        h.debit(1_111_111, windowStart, "sms", "sms");
        h.debit(2_222_222, localTime(zone, today.minusDays(6), 12, 0), "whatsapp.marketing", "whatsapp");
        // today - 5: nothing
        Instant partly = localTime(zone, today.minusDays(4), 12, 0);
        String debitId = h.debit(3_000_000, partly, "sms", "sms");
        h.debit(4_000_003, localTime(zone, today.minusDays(3), 12, 0), "sms", "sms");
        h.debit(0, localTime(zone, today.minusDays(3), 13, 0), "sms", "sms");
        h.debit(1_000_000, localTime(zone, today.minusDays(2), 12, 0), "sms", "sms");
        h.debit(999_999, localTime(zone, today.minusDays(2), 17, 0), "sms", "sms");
        h.debit(5_555_555, today.atStartOfDay(zone).toInstant().minusMillis(1), "sms", "sms"); // the window's last instant
        h.debit(todayMicros, today.atStartOfDay(zone).toInstant(), "sms", "sms"); // today's first instant
        h.reversal(debitId, 500_000, Instant.now().minusSeconds(5), partly, "sms", "sms");
        return h;
    }

    /** A wallet's events as the Lua scripts append them, with what they add up to, computed here. */
    final class History {
        final String name;
        final String tenant;
        final ZoneId zone;
        final String wallet = "w_est" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        final List<String> events = new ArrayList<>();
        final Map<LocalDate, Long> usageByDay = new HashMap<>();
        final Map<YearMonth, long[]> usageByMonth = new HashMap<>();
        long balance;
        long floor;
        int seq;
        Instant lastAt;

        History(String name, String tenant, ZoneId zone) {
            this.name = name;
            this.tenant = tenant;
            this.zone = zone;
        }

        void created(Instant at, String settings) {
            try {
                floor = JSON.readTree(settings).path("floorMicros").asLong(0);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            add("wallet.created", 0, 0, at, settings);
        }

        void credited(long micros, Instant at) {
            add("wallet.credited", micros, micros, at, "{\"creditId\":\"cr_" + seq + "\",\"category\":\"support\",\"reason\":\"test\"}");
        }

        String debit(long micros, Instant at, String item, String channel) {
            String debitId = "db_" + wallet + "_" + (seq + 1);
            add("debit.approved", micros, -micros, at, "{\"debitId\":\"" + debitId + "\",\"item\":\"" + item + "\",\"quantity\":1,"
                    + "\"channel\":\"" + channel + "\",\"forced\":false}");
            usage(at, micros, 1);
            return debitId;
        }

        void reversal(String debitId, long micros, Instant at, Instant debitAt, String item, String channel) {
            add("debit.reversed", micros, micros, at, "{\"debitId\":\"" + debitId + "\",\"reversalId\":\"rv_" + seq + "\",\"debitOccurredAt\":\""
                    + Times.format(debitAt) + "\",\"item\":\"" + item + "\",\"channel\":\"" + channel + "\"}");
            usage(debitAt, -micros, 0);
        }

        private void usage(Instant at, long micros, int count) {
            LocalDate day = at.atZone(zone).toLocalDate();
            usageByDay.merge(day, micros, Long::sum);
            long[] m = usageByMonth.computeIfAbsent(YearMonth.from(day), k -> new long[2]);
            m[0] += micros;
            m[1] += count;
        }

        private void add(String type, long amount, long delta, Instant at, String data) {
            balance += delta;
            seq++;
            lastAt = at;
            events.add(OutboxEvent.fromStream("0-" + seq, Map.of("id", "evt_" + wallet + "_" + seq, "type", type, "wallet", wallet,
                    "tenant", tenant, "seq", String.valueOf(seq), "cur", "USD", "amt", String.valueOf(amount),
                    "bal", String.valueOf(balance), "ts", String.valueOf(at.toEpochMilli()), "data", data)).toCloudEvent());
        }

        /** Publishes the events as the relay would, waits for the ledger, then rebuilds the wallet into Redis from it. */
        void publishAndRebuild(Ledger ledger) throws Exception {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "acks", "all"), new StringSerializer(), new StringSerializer())) {
                for (String e : events) {
                    producer.send(new ProducerRecord<>(config.kafka().topic(), wallet, e)).get();
                }
            }
            assertEquals(seq, ledger.awaitSeq(wallet, seq).size(), "every event in the ledger");
            TestApi.as(TestApi.ADMIN_KEY).post("/v1/admin/wallets/" + wallet + "/rebuild").then().statusCode(200)
                    .body("balanceMicros", TestApi.micros(balance)).body("tenantId", equalTo(tenant));
        }
    }
}
