package io.tollgate.infra;

import static io.restassured.RestAssured.given;
import static io.tollgate.support.TestApi.UNIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.support.Ledger;
import io.tollgate.support.TestApi;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every Tollgate metric in the Prometheus scrape says what it counts: a {@code # HELP} line with text. Micrometer
 * leaves it out (or empty) for a meter registered without a description, e.g. by {@code registry.counter(name)}.
 */
@QuarkusTest
class MetricsHelpIT {
    /** Some are created on first use (the ledger writer's with its first batch): present only after the traffic below. */
    static final Set<String> AFTER_TRAFFIC = Set.of("tollgate_debit_decisions_total", "tollgate_debit_reversals_total",
            "tollgate_debit_batches_total", "tollgate_redis_script_calls_total", "tollgate_outbox_relayed_total",
            "tollgate_outbox_oldest_unrelayed_seconds", "tollgate_ledger_written_total", "tollgate_reconciliation_drifting_wallets",
            "tollgate_alerts_in_flight");

    @Inject
    TollgateConfig config;

    @Test
    void everyTollgateMetricHasHelpText() throws InterruptedException {
        String wallet = traffic();
        new Ledger(config).awaitSeq(wallet, 5); // created, credited, debited, reversed, debited in a batch
        String scrape = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, String> help = helpTexts(scrape);
        Set<String> samples = tollgateSamples(scrape);
        List<String> withoutHelp = new ArrayList<>();
        for (String sample : samples) {
            String family = familyOf(sample, help);
            if (family == null || help.get(family).isBlank()) {
                withoutHelp.add(sample);
            }
        }
        assertEquals(List.of(), withoutHelp, "tollgate metrics without a # HELP text");
        for (String expected : AFTER_TRAFFIC) {
            assertTrue(samples.contains(expected), expected + " in the scrape; found " + samples);
        }
    }

    /** A debit approved and one declined, a reversal, a batch: every debit counter gets its first sample. */
    private static String traffic() {
        String tenant = TestApi.newTenant();
        String pipeline = TestApi.newKey(tenant, "pipeline");
        String wallet = TestApi.fundedWallet(tenant, 5 * UNIT, 0, 0);
        String debitId = TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + UNIT + "}").then().statusCode(200)
                .extract().path("debitId");
        TestApi.debit(pipeline, wallet, "{\"amountMicros\":" + 50 * UNIT + "}").then().statusCode(200);
        TestApi.as(pipeline).header("Idempotency-Key", "metrics-reversal").body("{\"amountMicros\":" + UNIT / 2 + "}")
                .post("/v1/wallets/" + wallet + "/debits/" + debitId + "/reversals").then().statusCode(200);
        TestApi.as(pipeline).body("{\"items\":[{\"walletId\":\"" + wallet + "\",\"idempotencyKey\":\"metrics-batch\",\"amountMicros\":1}]}")
                .post("/v1/debit-batches").then().statusCode(200);
        return wallet;
    }

    /** "# HELP name text" lines: name → text ("" when the line has no text). */
    static Map<String, String> helpTexts(String scrape) {
        Map<String, String> help = new HashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring("# HELP ".length()).split(" ", 2);
                help.put(parts[0], parts.length > 1 ? parts[1].trim() : "");
            }
        }
        return help;
    }

    /** The names of the tollgate_ samples (without labels and value). */
    static Set<String> tollgateSamples(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("tollgate_")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** The HELP name a sample belongs to: itself, or itself without a suffix such as _total (OpenMetrics names families so). */
    static String familyOf(String sample, Map<String, String> help) {
        if (help.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_total", "_created", "_count", "_sum", "_bucket", "_max")) {
            if (sample.endsWith(suffix) && help.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return null;
    }
}
