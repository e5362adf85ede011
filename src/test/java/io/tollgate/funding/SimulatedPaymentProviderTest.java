package io.tollgate.funding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tollgate.funding.PaymentProvider.ChargeRequest;
import io.tollgate.funding.PaymentProvider.ChargeStatus;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The local run's provider: declines at its rate, settles slowly when told to, and is idempotent on the key. */
class SimulatedPaymentProviderTest {
    static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() {
        VERTX.closeAndAwait();
    }

    static SimulatedPaymentProvider provider(double declineRate, Duration settlement, Duration latency) {
        return new SimulatedPaymentProvider(VERTX, new FundingConfig.Simulated() {
            public Duration latency() {
                return latency;
            }

            public double declineRate() {
                return declineRate;
            }

            public Duration settlementDelay() {
                return settlement;
            }
        });
    }

    static ChargeRequest request(String key) {
        return new ChargeRequest(key, 2000, "USD", "pm_sim", null, "tu_1");
    }

    @Test
    void chargesSucceedAndTheSameKeyAnswersTheSameCharge() {
        SimulatedPaymentProvider sim = provider(0, Duration.ZERO, Duration.ofMillis(20));
        var created = sim.create(request("k1")).await().atMost(Duration.ofSeconds(5));
        assertEquals(ChargeStatus.REQUIRES_CONFIRMATION, created.status());
        assertEquals(created.paymentId(), sim.create(request("k1")).await().atMost(Duration.ofSeconds(5)).paymentId());
        assertEquals(ChargeStatus.SUCCEEDED, sim.confirm(created.paymentId(), "c1").await().atMost(Duration.ofSeconds(5)).status());
        assertEquals(ChargeStatus.SUCCEEDED, sim.retrieve(created.paymentId()).await().atMost(Duration.ofSeconds(5)).status());
    }

    @Test
    void aDeclineRateOfOneDeclinesEveryCharge() {
        SimulatedPaymentProvider sim = provider(1.0, Duration.ZERO, Duration.ZERO);
        String id = sim.create(request("k2")).await().indefinitely().paymentId();
        var confirmed = sim.confirm(id, "c2").await().indefinitely();
        assertEquals(ChargeStatus.DECLINED, confirmed.status());
        assertEquals(ChargeStatus.DECLINED, sim.retrieve(id).await().indefinitely().status(), "a decline stays a decline");
    }

    @Test
    void slowSettlementIsProcessingUntilTheDelayHasPassed() throws Exception {
        SimulatedPaymentProvider sim = provider(0, Duration.ofMillis(300), Duration.ZERO);
        String id = sim.create(request("k3")).await().indefinitely().paymentId();
        assertEquals(ChargeStatus.PROCESSING, sim.confirm(id, "c3").await().indefinitely().status());
        assertEquals(ChargeStatus.PROCESSING, sim.retrieve(id).await().indefinitely().status());
        Thread.sleep(400);
        assertEquals(ChargeStatus.SUCCEEDED, sim.retrieve(id).await().indefinitely().status());
        assertEquals(Optional.of(ChargeStatus.DECLINED), Optional.of(sim.retrieve("sim_pi_unknown").await().indefinitely().status()));
    }
}
