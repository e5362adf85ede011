package io.tollgate.report;

import static io.tollgate.support.TestApi.UNIT;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.kafka.KafkaSetup;
import io.tollgate.outbox.OutboxEvent;
import io.tollgate.support.Ledger;
import io.tollgate.support.Poll;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Spending and movements equal the ledger's own movements, month by tenant-local month, checked against PostgreSQL's
 * time zone arithmetic (not Java's), in zones with non-hour offsets, across month boundaries and a DST change, with
 * partial and full reversals that land in another month than their debits.
 */
@QuarkusTest
class ReportsIT {
    /** The oracle: the ledger's rows summed by the tenant-local month of the usage they move (a reversal: its debit's). */
    static final String ORACLE = """
            select to_char(coalesce((data->>'debitOccurredAt')::timestamptz, occurred_at) at time zone ?, 'YYYY-MM') as month,
                coalesce(sum(case when type = 'debit.approved' then amount_micros
                                  when type = 'debit.reversed' then -amount_micros else 0 end), 0),
                count(*) filter (where type = 'debit.approved'),
                count(*) filter (where type = 'debit.approved' and amount_micros = 0),
                coalesce(sum(amount_micros) filter (where type in ('wallet.credited', 'topup.applied')), 0),
                coalesce(sum(amount_micros) filter (where type = 'topup.applied'), 0),
                coalesce(sum(amount_micros) filter (where type = 'debit.reversed'), 0)
            from ledger_entry where wallet_id = ? group by 1""";
    static final String ORACLE_BY_ITEM = """
            select to_char(coalesce((data->>'debitOccurredAt')::timestamptz, occurred_at) at time zone ?, 'YYYY-MM'),
                coalesce(data->>'item', ''),
                sum(case when type = 'debit.approved' then amount_micros else -amount_micros end)
            from ledger_entry where wallet_id = ? and type in ('debit.approved', 'debit.reversed') group by 1, 2""";

    @Inject
    TollgateConfig config;
    @Inject
    KafkaSetup kafka;

    @Test
    void reportsEqualTheLedgerInZonesWithNonHourOffsetsAcrossMonthsAndDst() throws Exception {
        for (String zone : List.of("America/St_Johns", "Asia/Kathmandu")) {
            checkZone(ZoneId.of(zone));
        }
    }

    private void checkZone(ZoneId zone) throws Exception {
        String tenant = TestApi.newTenant();
        String owner = TestApi.newKey(tenant, "owner");
        TestApi.as(owner).body("{\"timeZone\":\"" + zone.getId() + "\"}").put("/v1/report-settings").then().statusCode(200)
                .body("timeZone", equalTo(zone.getId()));
        String wallet = "w_rep_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        // the local midnight that starts last month, and (where the zone has one in the last 20 months) a DST change
        Instant boundary = YearMonth.now(zone).minusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        ZoneOffsetTransition dst = zone.getRules().previousTransition(Instant.now());
        Instant change = dst != null && dst.getInstant().isAfter(Instant.now().minus(Duration.ofDays(600))) ? dst.getInstant()
                : boundary.minus(Duration.ofDays(40));
        List<String> events = new ArrayList<>();
        long[] balance = {0};
        int[] seq = {0};
        events.add(event(tenant, wallet, ++seq[0], "wallet.created", 0, balance, boundary.minus(Duration.ofDays(90)), "{}"));
        events.add(event(tenant, wallet, ++seq[0], "wallet.credited", 100 * UNIT, balance, change.minus(Duration.ofDays(1)),
                "{\"creditId\":\"cr_1\",\"category\":\"support\",\"reason\":\"test\"}"));
        Instant lastDay = boundary.minus(Duration.ofMinutes(10)); // 23:50 local on the last day of the month before last
        events.add(event(tenant, wallet, ++seq[0], "debit.approved", -1_500_000, balance, lastDay, debit("db_a", "sms", 2, "sms", false)));
        Instant firstDay = boundary.plus(Duration.ofMinutes(10)); // 00:10 local on the first day of last month
        events.add(event(tenant, wallet, ++seq[0], "debit.approved", -2 * UNIT, balance, firstDay, debit("db_b", "voice.minute", 4, "call", true)));
        events.add(event(tenant, wallet, ++seq[0], "debit.approved", 0, balance, firstDay.plusSeconds(60), debit("db_c", "sms", 1, "sms", true)));
        events.add(event(tenant, wallet, ++seq[0], "debit.approved", -700_000, balance, change.minus(Duration.ofMinutes(10)),
                debit("db_d", "whatsapp", 1, "wa", false)));
        events.add(event(tenant, wallet, ++seq[0], "debit.approved", -900_000, balance, change.plus(Duration.ofMinutes(10)),
                debit("db_e", "whatsapp", 1, "wa", false)));
        events.add(event(tenant, wallet, ++seq[0], "topup.applied", 20 * UNIT, balance, change.plus(Duration.ofHours(1)),
                "{\"topUpId\":\"tu_1\",\"kind\":\"manual\",\"feeMicros\":0}"));
        // reversals in later months than their debits: partial, full, full
        events.add(event(tenant, wallet, ++seq[0], "debit.reversed", 500_000, balance, Instant.now().minus(Duration.ofHours(2)),
                reversal("db_a", "sms", "sms", lastDay)));
        events.add(event(tenant, wallet, ++seq[0], "debit.reversed", 2 * UNIT, balance, boundary.plus(Duration.ofDays(3)),
                reversal("db_b", "voice.minute", "call", firstDay)));
        events.add(event(tenant, wallet, ++seq[0], "debit.reversed", 700_000, balance, Instant.now().minus(Duration.ofHours(1)),
                reversal("db_d", "whatsapp", "wa", change.minus(Duration.ofMinutes(10)))));
        publish(wallet, events);
        Ledger ledger = new Ledger(config);
        assertEquals(seq[0], ledger.awaitSeq(wallet, seq[0]).size(), "every event in the ledger");

        JsonPath movements = TestApi.as(owner).get("/v1/wallets/" + wallet + "/movements?months=24").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(zone.getId(), movements.getString("timeZone"));
        assertEquals(24, movements.getList("months").size());
        Map<String, long[]> oracle = oracle(ledger, zone, wallet);
        assertTrue(oracle.size() >= 3, "the events span several months: " + oracle.keySet());
        for (int i = 0; i < 24; i++) {
            String month = movements.getString("months[" + i + "].month");
            long[] want = oracle.getOrDefault(month, new long[6]);
            String at = zone + " " + month + ": ";
            assertEquals(want[0], movements.getLong("months[" + i + "].usageMicros"), at + "usage net of reversals");
            assertEquals(want[1], movements.getLong("months[" + i + "].usageCount"), at + "usage count");
            assertEquals(want[2], movements.getLong("months[" + i + "].freeCount"), at + "free count");
            assertEquals(want[3], movements.getLong("months[" + i + "].fundsAddedMicros"), at + "funds added");
            assertEquals(want[4], movements.getLong("months[" + i + "].topUpsMicros"), at + "top-ups");
            assertEquals(want[3] - want[4], movements.getLong("months[" + i + "].creditsMicros"), at + "credits");
        }
        // 23:50 and 00:10 local around the boundary: one of them is in another UTC month (which, depends on the offset's sign)
        Instant telling = YearMonth.from(lastDay.atZone(zone)).equals(YearMonth.from(lastDay.atZone(ZoneOffset.UTC))) ? firstDay : lastDay;
        assertNotEquals(YearMonth.from(telling.atZone(ZoneOffset.UTC)), YearMonth.from(telling.atZone(zone)));
        String localMonth = YearMonth.from(lastDay.atZone(zone)).toString();
        assertEquals(1_500_000 - 500_000, ((Number) monthSpending(owner, wallet, localMonth)
                .get("months[0].byItem.find { it.code == 'sms' }.usageMicros")).longValue(),
                "the partial reversal, months later, gives the SMS usage back in its debit's local month");
        for (List<Object> row : ledger.query(ORACLE_BY_ITEM, zone.getId(), wallet)) {
            JsonPath spent = monthSpending(owner, wallet, (String) row.get(0));
            String item = (String) row.get(1);
            Object reported = spent.get("months[0].byItem.find { it.code == " + (item.isEmpty() ? "null" : "'" + item + "'")
                    + " }.usageMicros");
            assertEquals(((Number) row.get(2)).longValue(), ((Number) reported).longValue(), zone + " " + row.get(0) + " item " + item);
        }
        JsonPath tenantWide = TestApi.as(owner).get("/v1/movements?months=24").then().statusCode(200).extract().jsonPath();
        assertEquals(movements.getList("months"), tenantWide.getList("currencies[0].months"), "one wallet: the tenant is the wallet");
        assertEquals("USD", tenantWide.getString("currencies[0].currency"));
    }

    /** month → {usage, usage count, free count, funds added, top-ups, reversed}. */
    private static Map<String, long[]> oracle(Ledger ledger, ZoneId zone, String wallet) {
        Map<String, long[]> out = new HashMap<>();
        for (List<Object> row : ledger.query(ORACLE, zone.getId(), wallet)) {
            long[] v = new long[6];
            for (int i = 0; i < 6; i++) {
                v[i] = ((Number) row.get(i + 1)).longValue();
            }
            out.put((String) row.get(0), v);
        }
        return out;
    }

    private static JsonPath monthSpending(String key, String wallet, String month) {
        return TestApi.as(key).get("/v1/wallets/" + wallet + "/spending?month=" + month).then().statusCode(200).extract().jsonPath();
    }

    private static String debit(String debitId, String item, int quantity, String channel, boolean forced) {
        return "{\"debitId\":\"" + debitId + "\",\"item\":\"" + item + "\",\"quantity\":" + quantity + ",\"channel\":\"" + channel
                + "\",\"forced\":" + forced + "}";
    }

    private static String reversal(String debitId, String item, String channel, Instant debitAt) {
        return "{\"debitId\":\"" + debitId + "\",\"reversalId\":\"rv_" + debitId + "\",\"debitOccurredAt\":\""
                + io.tollgate.infra.Times.format(debitAt) + "\",\"item\":\"" + item + "\",\"channel\":\"" + channel + "\"}";
    }

    /** A stream entry as the Lua scripts append it, published as the relay would. {@code delta} moves the balance. */
    private static String event(String tenant, String wallet, long seq, String type, long delta, long[] balance, Instant at, String data) {
        balance[0] += delta;
        long amount = Math.abs(delta);
        return OutboxEvent.fromStream("0-" + seq, Map.of("id", "evt_" + wallet + "_" + seq + "_" + at.toEpochMilli(), "type", type,
                "wallet", wallet, "tenant", tenant, "seq", String.valueOf(seq), "cur", "USD", "amt", String.valueOf(amount),
                "bal", String.valueOf(balance[0]), "ts", String.valueOf(at.toEpochMilli()), "data", data)).toCloudEvent();
    }

    private void publish(String wallet, List<String> events) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (String e : events) {
                producer.send(new ProducerRecord<>(config.kafka().topic(), wallet, e)).get();
            }
        }
    }

    @Test
    void realDebitsReversalsAndFreeUsageAreFiledUnderTheirItemAndChannel() throws Exception {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String viewer = TestApi.newKey(tenant, "viewer");
        String wallet = TestApi.fundedWallet(tenant, 10 * UNIT, 0, 0);
        TestApi.admin(tenant).body("{\"items\":{\"sms\":{\"unitPriceMicros\":7500}}}").put("/v1/rate-cards/USD").then().statusCode(200);
        String debitId = TestApi.debit(pipeline, wallet, "{\"item\":\"sms\",\"quantity\":4,\"channel\":\"sms\"}").then()
                .body("decision", equalTo("approved")).extract().path("debitId");
        TestApi.debit(pipeline, wallet, "{\"item\":\"sms\",\"quantity\":3,\"direction\":\"inbound\",\"channel\":\"sms\"}").then()
                .body("amountMicros", TestApi.micros(0)).body("debitId", org.hamcrest.Matchers.notNullValue());
        TestApi.as(pipeline).header("Idempotency-Key", "rev-" + debitId).body("{\"amountMicros\":7500}")
                .post("/v1/wallets/" + wallet + "/debits/" + debitId + "/reversals").then().statusCode(200);
        Ledger ledger = new Ledger(config);
        List<Ledger.Row> rows = ledger.awaitSeq(wallet, 5);
        Ledger.Row reversal = rows.get(4);
        assertEquals("debit.reversed", reversal.type());
        io.vertx.core.json.JsonObject data = new io.vertx.core.json.JsonObject(reversal.data());
        assertEquals("sms", data.getString("item"), "the reversal names its debit's item");
        assertEquals("sms", data.getString("channel"));
        assertEquals(new io.vertx.core.json.JsonObject(rows.get(2).data()).getString("keyId"), data.getString("keyId"),
                "both name the pipeline key that acted");
        assertTrue(data.getString("debitOccurredAt").matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"));

        assertTrue(Poll.until(10, () -> TestApi.as(viewer).get("/v1/wallets/" + wallet + "/spending").then().extract().jsonPath()
                .getLong("months[0].total.usageCount") == 2));
        TestApi.as(viewer).get("/v1/wallets/" + wallet + "/spending").then().statusCode(200)
                .body("months[0].total.usageMicros", TestApi.micros(3 * 7500)).body("months[0].total.freeCount", TestApi.micros(1))
                .body("months[0].total.paidCount", TestApi.micros(1)).body("months[0].total.usageUnits", TestApi.micros(7))
                .body("months[0].total.reversedMicros", TestApi.micros(7500))
                .body("months[0].byItem.size()", equalTo(1)).body("months[0].byItem[0].code", equalTo("sms"))
                .body("months[0].byChannel[0].code", equalTo("sms")).body("months", org.hamcrest.Matchers.hasSize(3))
                .body("asOf", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void badReportRequestsAreProblemsAndNobodyReadsAnotherTenantsWallet() {
        String tenant = TestApi.newTenant();
        String owner = TestApi.newKey(tenant, "owner");
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String theirs = TestApi.fundedWallet(TestApi.newTenant(), UNIT, 0, 0);
        String mine = TestApi.fundedWallet(tenant, UNIT, 0, 0);
        String problem = "https://tollgate.dev/problems/";
        for (String body : List.of("{\"timeZone\":\"Mars/Olympus\"}", "{\"timeZone\":\"+05:45\"}", "{\"timeZone\":\"\"}", "{}",
                "{\"timeZone\":5}")) {
            TestApi.as(owner).body(body).put("/v1/report-settings").then().statusCode(400).body("type", equalTo(problem + "invalid-request"));
        }
        TestApi.as(owner).get("/v1/report-settings").then().statusCode(200).body("timeZone", equalTo("UTC"));
        for (String query : List.of("spending?month=1999-01", "spending?month=2999-01", "spending?month=13", "movements?months=0",
                "movements?months=25")) {
            TestApi.as(owner).get("/v1/wallets/" + mine + "/" + query).then().statusCode(400)
                    .body("type", equalTo(problem + "invalid-request"));
        }
        TestApi.as(owner).get("/v1/wallets/" + theirs + "/spending").then().statusCode(404).body("type", equalTo(problem + "wallet-not-found"));
        TestApi.as(owner).get("/v1/wallets/" + theirs + "/movements").then().statusCode(404).body("type", equalTo(problem + "wallet-not-found"));
        TestApi.as(pipeline).get("/v1/spending").then().statusCode(403);
    }
}
