package io.tollgate.report;

import static io.tollgate.support.TestApi.UNIT;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tollgate.infra.Times;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.kafka.KafkaSetup;
import io.tollgate.outbox.OutboxEvent;
import io.tollgate.support.Ledger;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The activity log, its CSV export and the debit look-up, on the real stack: movements are published to Kafka as the
 * relay would (or made through the API), the ledger writer stores them, and every answer is compared with the ledger's
 * own rows (selected here from {@code data}, not from the new columns). The tests run with
 * {@code tollgate.activity.scan-max-rows=40} and {@code csv-max-rows=60} (application.properties), so pages that stop at
 * the scan limit and exports that stop at their row limit are part of every comparison.
 */
@QuarkusTest
class ActivityIT {
    static final String PROBLEM = "https://tollgate.dev/problems/";
    static final List<String> MOVEMENTS = List.of("debit.approved", "debit.reversed", "wallet.credited", "topup.applied");

    @Inject
    TollgateConfig config;
    @Inject
    KafkaSetup kafka;

    // ---- paging: every row exactly once while movements arrive ----

    @Test
    void pagesReturnEveryMovementExactlyOnceWhileNewMovementsArrive() throws Exception {
        Book book = new Book();
        book.seed(150);
        String viewer = TestApi.newKey(book.tenant, "viewer");
        for (String filter : List.of("", "type=debit.approved", "item=whatsapp", "channel=%2B4915550", "user=u-2",
                "reference=campaign:c-1", "minAmountMicros=20000&maxAmountMicros=40000", "type=topup.applied",
                "from=" + enc(book.at(30)) + "&to=" + enc(book.at(110)))) {
            for (String scope : List.of("/v1/activity", "/v1/wallets/" + book.wallets.get(1) + "/activity")) {
                boolean tenant = scope.equals("/v1/activity");
                List<String> before = book.oracle(tenant ? null : book.wallets.get(1), filter);
                List<String> seen = new ArrayList<>();
                List<List<Object>> keys = new ArrayList<>();
                String cursor = null;
                int pages = 0;
                do {
                    JsonPath page = as(viewer).get(url(scope, "limit=7", filter, cursor == null ? "" : "cursor=" + cursor))
                            .then().statusCode(200).extract().jsonPath();
                    List<Map<String, Object>> items = page.getList("items");
                    assertTrue(items.size() <= 7);
                    for (Map<String, Object> item : items) {
                        seen.add((String) item.get("eventId"));
                        keys.add(List.of(item.get("occurredAt"), item.get("walletId"), ((Number) item.get("seq")).longValue()));
                    }
                    cursor = page.getString("nextCursor");
                    // movements arrive while paging: newer ones (never shown: they sort before the cursor) and, for the tenant,
                    // older ones in another wallet (shown once, if the ledger has them when the paging gets there)
                    book.during(tenant);
                    assertTrue(++pages < 200, "paging ends");
                } while (cursor != null);
                String at = scope + "?" + filter + ": ";
                assertEquals(seen.size(), new HashSet<>(seen).size(), at + "no movement twice: " + seen);
                assertTrue(seen.containsAll(before), at + "every movement of the start, missing " + missing(before, seen));
                List<String> after = book.oracle(tenant ? null : book.wallets.get(1), filter);
                assertTrue(after.containsAll(seen), at + "nothing but movements of the filter: " + missing(seen, after));
                assertEquals(after.stream().filter(seen::contains).toList(), seen, at + "newest first, in the ledger's order");
                assertFalse(before.isEmpty(), at + "the filter selects something");
            }
        }
    }

    // ---- CSV = JSON pages, row for row ----

    @Test
    void csvOfAFilterEqualsItsPagesRowForRowAcrossExportParts() throws Exception {
        Book book = new Book();
        book.seed(140);
        String owner = TestApi.newKey(book.tenant, "owner");
        int continued = 0;
        for (String filter : List.of("", "item=sms", "channel=wa&minAmountMicros=1", "user=u-1", "type=debit.reversed",
                "from=" + enc(book.at(20)) + "&to=" + enc(book.at(100)) + "&maxAmountMicros=30000")) {
            for (String scope : List.of("/v1/activity", "/v1/wallets/" + book.wallets.get(0) + "/activity")) {
                List<Map<String, Object>> pages = allPages(owner, scope, filter, 50);
                List<List<String>> csv = new ArrayList<>();
                String cursor = null;
                int parts = 0;
                do {
                    Response export = as(owner).accept("text/csv").get(url(scope + ".csv", filter, cursor == null ? "" : "cursor=" + cursor));
                    export.then().statusCode(200).header("Content-Type", containsString("text/csv"))
                            .header("Content-Disposition", containsString("attachment"));
                    List<List<String>> lines = Csv.parse(export.asString());
                    assertEquals(ActivityCsv.COLUMNS, lines.get(0), "the header");
                    cursor = null;
                    for (List<String> line : lines.subList(1, lines.size())) {
                        if (line.get(0).startsWith("#truncated:")) {
                            cursor = line.get(0).substring(line.get(0).indexOf("cursor=") + 7);
                            assertEquals(60, csv.size() - parts * 60, "an export part stops at csv-max-rows");
                        } else {
                            csv.add(line);
                        }
                    }
                    parts++;
                } while (cursor != null);
                String at = scope + ".csv?" + filter + ": ";
                int needed = Math.max(1, (csv.size() + 59) / 60);
                assertTrue(parts == needed || parts == needed + 1 && csv.size() % 60 == 0,
                        at + parts + " export parts for " + csv.size() + " rows: one per 60 (an exact multiple may end with a part that finds no more)");
                continued += parts - 1;
                assertEquals(pages.size(), csv.size(), at + "as many lines as the pages have movements");
                assertEquals(book.oracle(scope.startsWith("/v1/wallets") ? book.wallets.get(0) : null, filter).size(), csv.size(), at + "the ledger");
                for (int i = 0; i < csv.size(); i++) {
                    assertEquals(Csv.expected(pages.get(i)), csv.get(i), at + "line " + (i + 1));
                }
                assertTrue(pages.size() > 0, at + "the filter selects something");
            }
        }
        assertTrue(continued >= 2, "exports were continued from their last line: " + continued);
    }

    // ---- bad input: a problem, and nothing read ----

    @Test
    void badInputIsAProblemAndReadsNothingItShouldNot() throws Exception {
        Book mine = new Book();
        mine.seed(60);
        Book theirs = new Book();
        theirs.seed(10);
        String viewer = TestApi.newKey(mine.tenant, "viewer");
        String theirViewer = TestApi.newKey(theirs.tenant, "viewer");
        String wallet = "/v1/wallets/" + mine.wallets.get(0) + "/activity";
        String theirWallet = "/v1/wallets/" + theirs.wallets.get(0) + "/activity";
        for (String path : List.of(theirWallet, theirWallet + ".csv", "/v1/wallets/w_nosuchwallet/activity", "/v1/wallets/bad%20id/activity")) {
            as(viewer).get(path).then().statusCode(404).body("type", equalTo(PROBLEM + "wallet-not-found"))
                    .body("items", org.hamcrest.Matchers.nullValue());
        }
        String theirDebit = theirs.debitIds.get(0);
        as(theirViewer).get("/v1/debits/" + theirDebit).then().statusCode(200);
        as(viewer).get("/v1/debits/" + theirDebit).then().statusCode(404).body("type", equalTo(PROBLEM + "debit-not-found"))
                .body("walletId", org.hamcrest.Matchers.nullValue());
        as(viewer).get("/v1/debits?reference=messageId:" + theirs.references.get(0)).then().statusCode(200)
                .body("items", org.hamcrest.Matchers.empty());

        String first = as(viewer).get(wallet + "?limit=1&item=sms").then().statusCode(200).extract().path("nextCursor");
        String tenantCursor = as(viewer).get("/v1/activity?limit=2").then().statusCode(200).extract().path("nextCursor");
        assertNotNull(first);
        char flipped = first.charAt(10) == 'A' ? 'B' : 'A';
        String tampered = first.substring(0, 10) + flipped + first.substring(11);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(wallet + "?item=sms&cursor=" + tampered, "cursor is not valid");
        bad.put(wallet + "?item=sms&cursor=" + first.substring(0, first.length() - 3), "cursor is not valid");
        bad.put(wallet + "?item=sms&cursor=not-a-cursor!", "cursor is not valid");
        bad.put(wallet + "?item=sms&cursor=" + forged(mine.tenant, mine.wallets.get(0), "sms"), "cursor is not valid");
        bad.put(wallet + "?item=whatsapp&cursor=" + first, "another query");
        bad.put(wallet + "?cursor=" + first, "another query");
        bad.put("/v1/wallets/" + mine.wallets.get(1) + "/activity?item=sms&cursor=" + first, "another query");
        bad.put("/v1/activity?cursor=" + first, "another query");
        bad.put(wallet + "?item=sms&cursor=" + tenantCursor, "another query");
        bad.put(wallet + "?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "from must be before to");
        bad.put(wallet + "?from=2026-11-01T00:00:00Z&to=2026-11-01T00:00:00Z", "from must be before to");
        bad.put(wallet + "?from=2023-01-01T00:00:00Z&to=2025-02-01T00:00:00Z", "24 months");
        bad.put(wallet + "?from=" + enc(Instant.now().minus(Duration.ofDays(800))), "24 months");
        bad.put(wallet + "?from=yesterday", "RFC 3339");
        bad.put(wallet + "?to=2026-11-01", "RFC 3339");
        bad.put(wallet + "?limit=0", "limit must be 1..500");
        bad.put(wallet + "?limit=501", "limit must be 1..500");
        bad.put(wallet + "?limit=ten", "limit must be 1..500");
        bad.put(wallet + "?type=debit.declined", "type must be one of");
        bad.put(wallet + "?type=wallet.created", "type must be one of");
        bad.put(wallet + "?reference=messageId", "reference must be key:value");
        bad.put(wallet + "?reference=message%20id:m-1", "reference must be key:value");
        bad.put(wallet + "?item=SMS", "item must match");
        bad.put(wallet + "?channel=a%20b", "channel must match");
        bad.put(wallet + "?user=", "user must be");
        bad.put(wallet + "?minAmountMicros=-1", "minAmountMicros must be");
        bad.put(wallet + "?maxAmountMicros=9007199254740992", "maxAmountMicros must be");
        bad.put(wallet + "?minAmountMicros=5&maxAmountMicros=4", "must not exceed");
        bad.put(wallet + "?typ=debit.approved", "unknown query parameter typ");
        bad.put(wallet + "?item=sms&item=email", "more than once");
        bad.put(wallet + ".csv?limit=10", "unknown query parameter limit");
        bad.put("/v1/activity.csv?cursor=" + first, "another query");
        bad.put("/v1/debits", "reference is required");
        bad.put("/v1/debits?reference=nocolon", "reference must be key:value");
        bad.put("/v1/debits?reference=a:b&limit=101", "limit must be 1..100");
        for (Map.Entry<String, String> request : bad.entrySet()) {
            as(viewer).get(request.getKey()).then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEM + "invalid-request")).body("detail", containsString(request.getValue()))
                    .body("items", org.hamcrest.Matchers.nullValue());
        }
        // another tenant's cursor is refused even for the same filters (the tenant is part of what it signs)
        String theirCursor = as(theirViewer).get("/v1/activity?limit=2").then().statusCode(200).extract().path("nextCursor");
        as(viewer).get("/v1/activity?limit=2&cursor=" + theirCursor).then().statusCode(400).body("detail", containsString("another query"));
        // roles: a pipeline key reads no activity; an admin must name the tenant
        String pipeline = TestApi.newKey(mine.tenant, "pipeline");
        for (String path : List.of("/v1/activity", wallet, "/v1/activity.csv", "/v1/debits/" + mine.debitIds.get(0), "/v1/debits?reference=a:b")) {
            as(pipeline).get(path).then().statusCode(403).body("type", equalTo(PROBLEM + "forbidden"));
            as(TestApi.ADMIN_KEY).get(path).then().statusCode(400).body("type", equalTo(PROBLEM + "tenant-required"));
        }
        TestApi.admin(mine.tenant).get("/v1/activity?limit=1").then().statusCode(200).body("items", org.hamcrest.Matchers.hasSize(1));
    }

    // ---- CSV injection ----

    @Test
    void csvNeutralisesFormulasInTextAndKeepsNumbersNumeric() throws Exception {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String viewer = TestApi.newKey(tenant, "viewer");
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\",\"floorMicros\":0,\"automationFloorMicros\":0}");
        TestApi.credit(tenant, wallet, 10 * UNIT).then().statusCode(200);
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":1500,\"channel\":\"+4915550\",\"user\":\"=cmd|' /C calc'!A0\","
                + "\"reference\":{\"note\":\"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\",\"-key\":\"@SUM(1+1)\",\"plain\":\"m-7\"}}")
                .then().statusCode(200).body("decision", equalTo("approved"));
        Ledger ledger = new Ledger(config);
        ledger.awaitSeq(wallet, 3);
        String csv = as(viewer).get("/v1/wallets/" + wallet + "/activity.csv").then().statusCode(200).extract().asString();
        List<List<String>> lines = Csv.parse(csv);
        assertEquals(3, lines.size(), "header, debit, credit: " + csv);
        Map<String, String> debit = Csv.named(lines.get(0), lines.get(1));
        assertEquals("debit.approved", debit.get("type"));
        assertEquals("'=cmd|' /C calc'!A0", debit.get("user"), "a user starting with = starts with '");
        assertEquals("'+4915550", debit.get("channel"), "a channel starting with + starts with '");
        assertEquals("'-key:'@SUM(1+1)\nnote:'=HYPERLINK(\"http://evil.example\",\"x\")\nplain:m-7", debit.get("reference"),
                "the reference cell: its start and each value neutralised, one key:value per line");
        assertEquals("-1500", debit.get("amountMicros"), "amounts stay numbers, negative for a debit");
        assertEquals("9998500", debit.get("balanceAfterMicros"));
        for (List<String> line : lines) {
            for (String cell : line) {
                assertFalse(!cell.isEmpty() && "=+@\t\r".indexOf(cell.charAt(0)) >= 0, "no cell starts a formula: " + cell);
                assertFalse(cell.startsWith("-") && !cell.matches("-[0-9]+"), "a cell starting with - is a number: " + cell);
            }
        }
        // the JSON answer keeps the values as they are
        JsonPath page = as(viewer).get("/v1/wallets/" + wallet + "/activity").then().statusCode(200).extract().jsonPath();
        assertEquals("=cmd|' /C calc'!A0", page.getString("items[0].user"));
        assertEquals("=HYPERLINK(\"http://evil.example\",\"x\")", page.getString("items[0].reference.note"));
    }

    // ---- rows, times and the debit look-up ----

    @Test
    void rowsCarryTheirMovementAndTheDebitLookUpSumsItsReversals() throws Exception {
        String tenant = TestApi.newTenant();
        String owner = TestApi.newKey(tenant, "owner");
        String pipeline = TestApi.newKey(tenant, "pipeline");
        as(owner).body("{\"timeZone\":\"Asia/Kathmandu\"}").put("/v1/report-settings").then().statusCode(200);
        TestApi.admin(tenant).body("{\"items\":{\"sms\":{\"unitPriceMicros\":7500}}}").put("/v1/rate-cards/USD").then().statusCode(200);
        String wallet = TestApi.newWallet(tenant, "{\"currency\":\"USD\",\"floorMicros\":0,\"automationFloorMicros\":0}");
        TestApi.credit(tenant, wallet, 10 * UNIT).then().statusCode(200);
        String reference = "m-" + UUID.randomUUID();
        JsonPath approved = TestApi.debit(pipeline, wallet, "{\"item\":\"sms\",\"quantity\":4,\"channel\":\"sms\",\"user\":\"alice\","
                + "\"reference\":{\"messageId\":\"" + reference + "\",\"campaign\":\"spring\"}}").then().statusCode(200)
                .body("decision", equalTo("approved")).extract().jsonPath();
        String debitId = approved.getString("debitId");
        for (long amount : new long[] {7500, 5000}) {
            as(pipeline).header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"amountMicros\":" + amount + ",\"reason\":\"undelivered\"}")
                    .post("/v1/wallets/" + wallet + "/debits/" + debitId + "/reversals").then().statusCode(200);
        }
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":999999999}").then().statusCode(200).body("decision", equalTo("declined"));
        Ledger ledger = new Ledger(config);
        List<Ledger.Row> rows = ledger.awaitSeq(wallet, 5);
        assertEquals(5, rows.size(), "created, credited, approved, two reversals; the decline is not a movement");

        JsonPath page = as(owner).get("/v1/wallets/" + wallet + "/activity").then().statusCode(200).extract().jsonPath();
        assertEquals("Asia/Kathmandu", page.getString("timeZone"));
        assertEquals(4, page.getList("items").size(), "wallet.created is a setting, not a movement");
        assertEquals(List.of("debit.reversed", "debit.reversed", "debit.approved", "wallet.credited"), page.getList("items.type"));
        assertEquals(List.of(5, 4, 3, 2), page.getList("items.seq"));
        assertEquals(List.of(5000, 7500, -30000, 10_000_000), page.getList("items.amountMicros"), "signed: what each did to the balance");
        for (int i = 0; i < 4; i++) {
            String occurredAt = page.getString("items[" + i + "].occurredAt");
            String localTime = page.getString("items[" + i + "].localTime");
            assertTrue(occurredAt.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"), occurredAt);
            assertTrue(localTime.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+05:45"), localTime);
            assertEquals(Instant.parse(occurredAt), java.time.OffsetDateTime.parse(localTime).toInstant(), "the same instant");
            long before = page.getLong("items[" + i + "].balanceAfterMicros") - page.getLong("items[" + i + "].amountMicros");
            if (i < 3) {
                assertEquals(page.getLong("items[" + (i + 1) + "].balanceAfterMicros"), before, "balance before = previous balance after");
            }
        }
        assertEquals("sms", page.getString("items[2].item"));
        assertEquals(4, page.getInt("items[2].quantity"));
        assertEquals(7500, page.getInt("items[2].unitPriceMicros"));
        assertEquals("alice", page.getString("items[2].user"));
        assertEquals(reference, page.getString("items[2].reference.messageId"));
        assertEquals(debitId, page.getString("items[2].debitId"));
        assertEquals(debitId, page.getString("items[0].debitId"), "a reversal names its debit");
        assertTrue(page.getString("items[2].keyId").startsWith("key_"));
        assertNotNull(page.getString("asOf"));
        assertEquals(1, as(owner).get("/v1/activity?reference=messageId:" + reference).then().statusCode(200)
                .extract().jsonPath().getList("items").size());
        assertEquals(2, as(owner).get("/v1/activity?item=sms&type=debit.reversed").then().statusCode(200)
                .extract().jsonPath().getList("items").size(), "a reversal carries its debit's item");

        JsonPath debit = as(owner).get("/v1/debits/" + debitId).then().statusCode(200).extract().jsonPath();
        assertEquals(wallet, debit.getString("walletId"));
        assertEquals(30000, debit.getLong("amountMicros"));
        assertEquals(12500, debit.getLong("reversedMicros"), "the sum of its reversals in the ledger");
        assertEquals(17500, debit.getLong("netMicros"));
        assertEquals(List.of(7500, 5000), debit.getList("reversals.amountMicros"));
        assertEquals("undelivered", debit.getString("reversals[0].reason"));
        assertEquals("recorded", debit.getString("ledger.state"));
        assertEquals(3, debit.getInt("ledger.seq"));
        assertEquals("sms", debit.getString("item"));
        assertEquals(4, debit.getInt("quantity"));
        assertEquals(7500, debit.getInt("unitPriceMicros"));
        assertEquals("item", debit.getString("priceBasis"));
        assertEquals("sms", debit.getString("channel"));
        assertEquals("alice", debit.getString("user"));
        assertEquals("spring", debit.getString("reference.campaign"));
        assertEquals(approved.getString("seq"), debit.getString("ledger.seq"));
        assertNotNull(debit.getString("asOf"));
        JsonPath found = as(owner).get("/v1/debits?reference=messageId:" + reference).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(debitId), found.getList("items.debitId"));
        assertEquals(12500, found.getLong("items[0].reversedMicros"));
        assertFalse(found.getBoolean("more"));
        as(owner).get("/v1/debits/db_" + "a".repeat(32)).then().statusCode(404).body("type", equalTo(PROBLEM + "debit-not-found"))
                .body("detail", containsString("Declined debits are never stored"))
                .body("detail", containsString("within about a second"));
    }

    // ---- helpers ----

    private static List<Map<String, Object>> allPages(String key, String scope, String filter, int limit) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = as(key).get(url(scope, "limit=" + limit, filter, cursor == null ? "" : "cursor=" + cursor))
                    .then().statusCode(200).extract().jsonPath();
            all.addAll(page.getList("items"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return all;
    }

    /** A request as TestApi's, sending the query strings written here as they are (they are encoded already). */
    static io.restassured.specification.RequestSpecification as(String key) {
        return TestApi.as(key).urlEncodingEnabled(false);
    }

    /** The path with the non-empty query parts. */
    static String url(String path, String... parts) {
        String query = String.join("&", java.util.Arrays.stream(parts).filter(p -> !p.isEmpty()).toList());
        return query.isEmpty() ? path : path + "?" + query;
    }

    private static List<String> missing(List<String> wanted, List<String> got) {
        return wanted.stream().filter(id -> !got.contains(id)).toList();
    }

    static String enc(Instant at) {
        return URLEncoder.encode(Times.format(at), StandardCharsets.UTF_8);
    }

    /** A well-formed cursor for exactly this query and a plausible position, signed with another key than the server's. */
    private static String forged(String tenant, String wallet, String item) {
        ActivityCursors other = new ActivityCursors(new ActivityConfig() {
            public java.util.Optional<String> cursorKey() {
                return java.util.Optional.of("someone-elses-key-that-is-long-enough-0001");
            }

            public int scanMaxRows() {
                return 40;
            }

            public int csvMaxRows() {
                return 60;
            }
        });
        byte[] hash = ActivityQuery.parse(tenant, wallet, Map.of("item", List.of(item)), java.util.Set.of()).hash();
        return other.encode(hash, new ActivityCursors.Position(Long.MAX_VALUE, wallet, 3, 1));
    }

    /**
     * One tenant's synthetic history, published to Kafka as the relay would: three wallets, debits with items, channels,
     * users and references, reversals, credits, top-ups, settings events that are not movements, and ties (movements of
     * different wallets at the same millisecond).
     */
    final class Book {
        final String tenant = TestApi.newTenant();
        final List<String> wallets = new ArrayList<>();
        final List<String> debitIds = new ArrayList<>();
        final List<String> references = new ArrayList<>();
        final Map<String, long[]> state = new HashMap<>(); // wallet → {seq, balance}
        final Instant base = Instant.now().minus(Duration.ofDays(12)).truncatedTo(ChronoUnit.MILLIS);
        final Ledger ledger = new Ledger(config);
        int arrivals;

        Book() {
            for (int i = 0; i < 3; i++) {
                wallets.add("w_act_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14));
            }
        }

        Instant at(int i) {
            return base.plus(Duration.ofMinutes(97L * i));
        }

        void seed(int count) throws Exception {
            List<String[]> events = new ArrayList<>();
            for (String wallet : wallets) {
                events.add(event(wallet, "wallet.created", 0, base.minusSeconds(60), "{}"));
                events.add(event(wallet, "wallet.credited", 50 * UNIT, base.minusSeconds(30),
                        "{\"creditId\":\"cr_" + wallet + "\",\"category\":\"support\",\"reason\":\"=start\",\"keyId\":\"key_admin\"}"));
            }
            for (int i = 0; i < count; i++) {
                String wallet = wallets.get(i % 3);
                Instant at = i % 5 == 4 ? at(i - 1) : at(i); // every fifth shares the millisecond of the one before (another wallet)
                events.add(movement(i, wallet, at));
            }
            publish(events);
            for (String wallet : wallets) {
                ledger.awaitSeq(wallet, state.get(wallet)[0]);
            }
        }

        private String[] movement(int i, String wallet, Instant at) {
            String[] items = {"sms", "whatsapp", "sms", "voice.minute", "sms", "whatsapp", "email"};
            String[] channels = {"sms", "wa", "sms", "+4915550", "sms", "wa", "mail"};
            int kind = i % 11;
            if (kind == 7 && !debitIds.isEmpty()) {
                String debitId = debitIds.get(debitIds.size() - 1);
                return event(walletOf(debitId), "debit.reversed", 7500, at, "{\"reversalId\":\"rv_" + i + "\",\"debitId\":\"" + debitId
                        + "\",\"keyId\":\"key_p\",\"reason\":\"undelivered\",\"debitOccurredAt\":\"" + Times.format(at.minusSeconds(60))
                        + "\",\"item\":\"" + items[(i - 1) % 7] + "\",\"channel\":\"" + channels[(i - 1) % 7] + "\"}");
            }
            if (kind == 9) {
                return event(wallet, "topup.applied", 5 * UNIT, at, "{\"topUpId\":\"tu_" + i + "\",\"kind\":\"auto\",\"feeMicros\":0,"
                        + "\"providerPaymentId\":\"pi_" + i + "\"}");
            }
            if (kind == 10) {
                return event(wallet, "balance.low", 0, at, "{\"thresholdMicros\":1}");
            }
            String debitId = "db_" + wallet + "_" + i;
            debitIds.add(debitId);
            String reference = "m-" + tenant + "-" + i;
            references.add(reference);
            long quantity = 1 + i % 6;
            String detail = "{\"debitId\":\"" + debitId + "\",\"item\":\"" + items[i % 7] + "\",\"quantity\":" + quantity
                    + ",\"unitPriceMicros\":7500,\"priceBasis\":\"item\",\"origin\":\"automated\",\"direction\":\"outbound\",\"forced\":false,"
                    + "\"channel\":\"" + channels[i % 7] + "\"" + (i % 4 == 0 ? "" : ",\"user\":\"u-" + (i % 4) + "\"")
                    + ",\"reference\":{" + (i % 5 == 0 ? "\"campaign\":\"c-" + (i % 2) + "\"," : "") + "\"messageId\":\"" + reference
                    + "\"},\"keyId\":\"key_p\"}";
            return event(wallet, "debit.approved", -7500 * quantity, at, detail);
        }

        private String walletOf(String debitId) {
            return debitId.substring(3, debitId.lastIndexOf('_'));
        }

        /** Movements that arrive while a paging runs: now (newer than any page), and for the tenant a new wallet's old ones. */
        void during(boolean tenantScope) throws Exception {
            List<String[]> events = new ArrayList<>();
            int n = arrivals++;
            events.add(movement(1000 + n * 13, wallets.get(n % 3), Instant.now().truncatedTo(ChronoUnit.MILLIS)));
            if (tenantScope) {
                String late = wallets.get(0) + "_late" + n;
                state.computeIfAbsent(late, w -> new long[2]);
                events.add(event(late, "wallet.credited", UNIT, base.plus(Duration.ofMinutes(97L * 60 + n)),
                        "{\"creditId\":\"cr_late\",\"category\":\"support\",\"reason\":\"late\"}"));
            }
            publish(events);
        }

        private String[] event(String wallet, String type, long delta, Instant at, String data) {
            long[] s = state.computeIfAbsent(wallet, w -> new long[2]);
            s[0]++;
            s[1] += delta;
            String json = OutboxEvent.fromStream("0-" + s[0], Map.of("id", "evt_" + wallet + "_" + s[0] + "_" + at.toEpochMilli(), "type", type,
                    "wallet", wallet, "tenant", tenant, "seq", String.valueOf(s[0]), "cur", "USD", "amt", String.valueOf(Math.abs(delta)),
                    "bal", String.valueOf(s[1]), "ts", String.valueOf(at.toEpochMilli()), "data", data)).toCloudEvent();
            return new String[] {wallet, json};
        }

        private void publish(List<String[]> events) throws Exception {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "acks", "all"), new StringSerializer(), new StringSerializer())) {
                for (String[] e : events) {
                    producer.send(new ProducerRecord<>(config.kafka().topic(), e[0], e[1])).get();
                }
            }
        }

        /**
         * The event ids a filter selects, in the log's order, from the ledger's rows and their {@code data} (not from the
         * activity columns the writer fills): the oracle.
         */
        List<String> oracle(String wallet, String query) {
            List<Object> args = new ArrayList<>();
            StringBuilder sql = new StringBuilder("select event_id from ledger_entry where tenant_id = ? and type in "
                    + "('debit.approved', 'debit.reversed', 'wallet.credited', 'topup.applied')");
            args.add(tenant);
            if (wallet != null) {
                sql.append(" and wallet_id = ?");
                args.add(wallet);
            }
            sql.append(" and occurred_at >= now() - interval '24 months'");
            for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
                String name = pair.substring(0, pair.indexOf('='));
                String value = java.net.URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8);
                switch (name) {
                    case "type" -> sql.append(" and type = ?");
                    case "item" -> sql.append(" and data->>'item' = ?");
                    case "channel" -> sql.append(" and data->>'channel' = ?");
                    case "user" -> sql.append(" and type = 'debit.approved' and data->>'user' = ?");
                    case "reference" -> {
                        sql.append(" and type = 'debit.approved' and data->'reference'->>? = ?");
                        args.add(value.substring(0, value.indexOf(':')));
                        value = value.substring(value.indexOf(':') + 1);
                    }
                    case "minAmountMicros" -> sql.append(" and amount_micros >= ?::bigint");
                    case "maxAmountMicros" -> sql.append(" and amount_micros <= ?::bigint");
                    case "from" -> sql.append(" and occurred_at >= ?::timestamptz");
                    case "to" -> sql.append(" and occurred_at < ?::timestamptz");
                    default -> throw new IllegalArgumentException(name);
                }
                args.add(value);
            }
            sql.append(wallet == null ? " order by occurred_at desc, wallet_id desc, seq desc" : " order by seq desc");
            return ledger.query(sql.toString(), args.toArray()).stream().map(row -> (String) row.get(0)).toList();
        }
    }

    /** RFC 4180 reading, and the line a page's row should have become. */
    static final class Csv {
        static List<List<String>> parse(String text) {
            List<List<String>> lines = new ArrayList<>();
            List<String> line = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    line.add(cell.toString());
                    cell.setLength(0);
                } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    line.add(cell.toString());
                    cell.setLength(0);
                    lines.add(line);
                    line = new ArrayList<>();
                    i++;
                } else {
                    cell.append(c);
                }
            }
            assertTrue(line.isEmpty() && cell.length() == 0, "every line ends with CRLF");
            return lines;
        }

        static Map<String, String> named(List<String> header, List<String> line) {
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                out.put(header.get(i), line.get(i));
            }
            return out;
        }

        /** The CSV line of a JSON row: same values, text neutralised, reference as key:value lines. */
        @SuppressWarnings("unchecked")
        static List<String> expected(Map<String, Object> row) {
            List<String> out = new ArrayList<>();
            for (String column : ActivityCsv.COLUMNS) {
                Object value = row.get(column);
                if (column.equals("reference") && value != null) {
                    StringBuilder cell = new StringBuilder();
                    new java.util.TreeMap<>((Map<String, String>) value).forEach((k, v) -> cell.append(cell.length() == 0 ? "" : "\n")
                            .append(k).append(':').append(ActivityCsv.neutralised(v)));
                    value = cell.toString();
                }
                out.add(value == null ? "" : value instanceof String s ? ActivityCsv.neutralised(s) : String.valueOf(value));
            }
            return out;
        }
    }

}
