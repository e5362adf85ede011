package io.tollgate.funding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Unis;
import io.tollgate.wallet.Wallet;
import io.tollgate.wallet.WalletService;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Wallet events → automatic top-ups (consumer group tollgate-funding). {@code balance.low} starts an auto-recharge
 * top-up and {@code balance.depleted} an emergency one, each recorded as a pending top-up that TopUpProcessor drives.
 *
 * <p>Exactly one top-up per crossing: the scripts emit each event once per crossing, and the top-up row is unique on
 * the event id, so a redelivered event adds nothing. At most one automatic top-up is in flight per wallet (a partial
 * unique index), and at most dailyMaxCharges are started per wallet per UTC day. The wallet is read when the event is
 * handled: if auto-recharge was turned off or the balance is above the threshold again, nothing is started.
 * Offsets are committed after the rows are written (at-least-once); a message that is not a wallet event is skipped.
 */
@ApplicationScoped
public class FundingConsumer {
    private static final Logger LOG = Logger.getLogger(FundingConsumer.class);

    private final WalletService wallets;
    private final FundingConfig config;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final Vertx vertx;
    static final long RETRY_MAX_MILLIS = 10_000;

    record Trigger(String eventId, String type, String walletId, String tenantId) {
    }

    public FundingConsumer(WalletService wallets, FundingConfig config, ObjectMapper json, MeterRegistry metrics, Vertx vertx) {
        this.vertx = vertx;
        this.wallets = wallets;
        this.config = config;
        this.json = json;
        this.metrics = metrics;
    }

    @Incoming("funding-events-in")
    public Uni<Void> handle(ConsumerRecords<String, String> records) {
        if (!config.consumerEnabled()) {
            return Uni.createFrom().voidItem();
        }
        List<Trigger> triggers = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            String value = record.value();
            // Most events are debits: a cheap text check before any parsing.
            if (value != null && (value.contains("\"balance.low\"") || value.contains("\"balance.depleted\""))) {
                parse(value).ifPresent(triggers::add);
            }
        }
        return handleInOrder(triggers, 0);
    }

    private Uni<Void> handleInOrder(List<Trigger> triggers, int index) {
        if (index >= triggers.size()) {
            return Uni.createFrom().voidItem();
        }
        return retried(triggers.get(index), 0).chain(() -> handleInOrder(triggers, index + 1));
    }

    /**
     * Redis or PostgreSQL away: the same event is handled again after a backoff (a timer on this context, never a
     * sleep), so a trigger is never dropped; its offset is committed only after it was handled.
     */
    private Uni<Void> retried(Trigger trigger, int attempt) {
        return handle(trigger).onFailure().recoverWithUni(f -> {
            long waitMillis = Math.min(RETRY_MAX_MILLIS, 200L << Math.min(attempt, 10));
            LOG.warnf("handling %s of wallet %s failed (%s); retrying in %d ms", trigger.type(), trigger.walletId(), f, waitMillis);
            return Uni.createFrom().<Void>emitter(e -> vertx.setTimer(waitMillis, id -> e.complete(null)))
                    .chain(() -> retried(trigger, attempt + 1));
        });
    }

    java.util.Optional<Trigger> parse(String value) {
        try {
            JsonNode event = json.readTree(value);
            JsonNode data = event.path("data");
            String type = event.path("type").asText();
            if (!type.equals("balance.low") && !type.equals("balance.depleted")) {
                return java.util.Optional.empty();
            }
            String id = event.path("id").asText(), wallet = data.path("walletId").asText(), tenant = data.path("tenantId").asText();
            if (id.isEmpty() || wallet.isEmpty() || tenant.isEmpty()) {
                throw new IllegalArgumentException("event lacks id, walletId or tenantId");
            }
            return java.util.Optional.of(new Trigger(id, type, wallet, tenant));
        } catch (Exception e) {
            Counter.builder("tollgate.funding.events.malformed")
                    .description("Messages on the events topic the funding consumer skipped because they are not wallet events")
                    .register(metrics).increment();
            LOG.warnf("funding consumer skips a message that is not a wallet event: %s", e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private Uni<Void> handle(Trigger trigger) {
        return Unis.onCallersContext(wallets.get(trigger.tenantId(), trigger.walletId())).chain(w -> start(trigger, w))
                .onFailure(io.tollgate.infra.http.ProblemException.class).recoverWithItem(f -> {
                    LOG.warnf("no top-up for %s of wallet %s: %s", trigger.type(), trigger.walletId(), f.getMessage());
                    return null;
                });
    }

    private Uni<Void> start(Trigger trigger, Wallet w) {
        if (trigger.type().equals("balance.low")) {
            Wallet.AutoRecharge ar = w.autoRecharge();
            if (!ar.enabled() || ar.amountMicros() == null || ar.thresholdMicros() == null || w.balanceMicros() > ar.thresholdMicros()) {
                return Uni.createFrom().voidItem();
            }
            return insert(trigger, w, TopUp.Kind.AUTO, Money.ceilToMinor(ar.amountMicros(), w.currency()), ar.paymentMethodId());
        }
        Wallet.EmergencyTopUp em = w.emergencyTopUp();
        if (!em.enabled() || em.targetMicros() == null || em.capMicros() == null || w.balanceMicros() > 0) {
            return Uni.createFrom().voidItem();
        }
        long amount = Math.min(em.targetMicros() - w.balanceMicros(), em.capMicros());
        if (amount <= 0) {
            return Uni.createFrom().voidItem();
        }
        return insert(trigger, w, TopUp.Kind.EMERGENCY, Money.ceilToMinor(amount, w.currency()), w.autoRecharge().paymentMethodId());
    }

    /** Inserts the top-up unless its event was handled before or one is in flight; over the daily cap it is skipped. */
    private Uni<Void> insert(Trigger trigger, Wallet w, TopUp.Kind kind, long amountMicros, String paymentMethodId) {
        TopUp t = TopUpService.newTopUp(w.tenantId(), w.id(), kind, w.currency(), amountMicros);
        t.paymentMethodId = paymentMethodId;
        t.triggerEventId = trigger.eventId();
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                select count(*) from top_up where wallet_id = ?1 and kind <> 'manual' and state <> 'skipped'
                and created_at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc'""", Long.class)
                .setParameter(1, w.id()).getSingleResult()
                .chain(today -> {
                    boolean capped = today >= config.automatic().dailyMaxCharges();
                    return s.createNativeQuery("""
                            insert into top_up (id, tenant_id, wallet_id, kind, state, currency, amount_micros, payment_method_id,
                                                method_slot, trigger_event_id, failure_reason)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'default', ?9, ?10) on conflict do nothing""")
                            .setParameter(1, t.id).setParameter(2, t.tenantId).setParameter(3, t.walletId).setParameter(4, t.kind)
                            .setParameter(5, capped ? "skipped" : "pending").setParameter(6, t.currency)
                            .setParameter(7, t.amountMicros).setParameter(8, t.paymentMethodId).setParameter(9, t.triggerEventId)
                            .setParameter(10, capped ? "daily_cap: " + today + " automatic charges today" : null)
                            .executeUpdate().invoke(inserted -> {
                                String outcome = inserted == 0 ? "duplicate_or_in_flight" : capped ? "daily_cap" : "started";
                                Counter.builder("tollgate.funding.triggers")
                                        .description("Automatic and emergency top-ups triggered by wallet events, by kind and outcome")
                                        .tags("kind", t.kind, "outcome", outcome).register(metrics).increment();
                                LOG.infof("%s of wallet %s (event %s): %s %s top-up of %d micros", trigger.type(), w.id(),
                                        trigger.eventId(), outcome, t.kind, t.amountMicros);
                            });
                }))).replaceWithVoid();
    }
}
