package io.tollgate.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Kafka → PostgreSQL: writes each wallet event once into the ledger and its monthly totals, in one transaction.
 *
 * <p>At-least-once: the offset is committed after the transaction, so a crash in between redelivers the event, and
 * the insert is a no-op on a known event id. A gap in a wallet's sequence is counted and logged, never skipped
 * silently. Only a message that can never be written goes to the dead-letter topic with the reason (it is not a
 * Tollgate event, or another event already holds its wallet and seq); the consumer carries on with the next one.
 * Everything else (database down, timeouts) is retried with backoff until it succeeds: a valid event is never
 * dead-lettered because the database was away, the ledger just lags.
 */
@ApplicationScoped
public class LedgerWriter {
    private static final Logger LOG = Logger.getLogger(LedgerWriter.class);
    static final Set<String> FUNDS_ADDED = Set.of("wallet.credited", "topup.applied");

    private final ObjectMapper json;
    private final Counter written;
    private final Counter duplicates;
    private final Counter gaps;

    public LedgerWriter(ObjectMapper json, MeterRegistry metrics) {
        this.json = json;
        this.written = metrics.counter("tollgate.ledger.written");
        this.duplicates = metrics.counter("tollgate.ledger.duplicates");
        this.gaps = metrics.counter("tollgate.ledger.sequence.gaps");
    }

    static final Duration RETRY_FIRST = Duration.ofMillis(200);
    static final Duration RETRY_MAX = Duration.ofSeconds(10);

    @Incoming("wallet-events-in")
    public Uni<Void> write(String cloudEvent) {
        LedgerEvent event = LedgerEvent.parse(json, cloudEvent); // throws for a malformed message: dead-letter topic
        return store(event)
                .onFailure(failure -> !isPermanent(failure))
                .invoke(failure -> LOG.warnf("ledger write of %s failed (%s); retrying", event.eventId(), failure.toString()))
                .onFailure(failure -> !isPermanent(failure)).retry().withBackOff(RETRY_FIRST, RETRY_MAX).indefinitely();
    }

    /** A failure no retry can mend: another event already holds this wallet's seq. */
    static boolean isPermanent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("ledger_entry_wallet_seq")) {
                return true;
            }
        }
        return false;
    }

    private Uni<Void> store(LedgerEvent event) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("select coalesce(max(seq), 0) from ledger_entry where wallet_id = ?1", Long.class)
                .setParameter(1, event.walletId()).getSingleResult()
                .chain(lastSeq -> {
                    if (event.seq() > lastSeq + 1) {
                        gaps.increment();
                        LOG.errorf("ledger gap in wallet %s: seq %d follows %d", event.walletId(), event.seq(), lastSeq);
                    }
                    return session.createNativeQuery("""
                            insert into ledger_entry (event_id, wallet_id, tenant_id, seq, type, currency, amount_micros,
                                balance_after_micros, occurred_at, data)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, cast(cast(?10 as text) as jsonb))
                            on conflict (event_id) do nothing""")
                            .setParameter(1, event.eventId()).setParameter(2, event.walletId()).setParameter(3, event.tenantId())
                            .setParameter(4, event.seq()).setParameter(5, event.type()).setParameter(6, event.currency())
                            .setParameter(7, event.amountMicros()).setParameter(8, event.balanceAfterMicros())
                            .setParameter(9, event.occurredAt()).setParameter(10, event.detail())
                            .executeUpdate();
                })
                .chain(inserted -> {
                    if (inserted == 0) {
                        duplicates.increment();
                        return Uni.createFrom().voidItem();
                    }
                    written.increment();
                    return addToMonth(session, event);
                })));
    }

    private Uni<Void> addToMonth(org.hibernate.reactive.mutiny.Mutiny.Session session, LedgerEvent event) {
        boolean usage = "debit.approved".equals(event.type());
        boolean reversal = "debit.reversed".equals(event.type()); // gives usage back (in the month of the reversal)
        boolean funds = FUNDS_ADDED.contains(event.type());
        if (!usage && !funds && !reversal) {
            return Uni.createFrom().voidItem();
        }
        long usageMicros = usage ? event.amountMicros() : reversal ? -event.amountMicros() : 0L;
        return session.createNativeQuery("""
                insert into monthly_totals (wallet_id, month, item, channel, tenant_id, currency, funds_added_micros,
                    usage_micros, usage_count)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                on conflict (wallet_id, month, item, channel) do update set
                    funds_added_micros = monthly_totals.funds_added_micros + excluded.funds_added_micros,
                    usage_micros = monthly_totals.usage_micros + excluded.usage_micros,
                    usage_count = monthly_totals.usage_count + excluded.usage_count""")
                .setParameter(1, event.walletId()).setParameter(2, event.occurredAt().toLocalDate().withDayOfMonth(1))
                .setParameter(3, event.item()).setParameter(4, event.channel()).setParameter(5, event.tenantId())
                .setParameter(6, event.currency()).setParameter(7, funds ? event.amountMicros() : 0L)
                .setParameter(8, usageMicros).setParameter(9, usage ? 1L : 0L)
                .executeUpdate().replaceWithVoid();
    }

    /** The fields of a wallet event the ledger keeps, read from its CloudEvent. */
    record LedgerEvent(String eventId, String walletId, String tenantId, long seq, String type, String currency,
            long amountMicros, long balanceAfterMicros, OffsetDateTime occurredAt, String detail, String item, String channel) {

        static LedgerEvent parse(ObjectMapper json, String cloudEvent) {
            try {
                JsonNode ce = json.readTree(cloudEvent);
                JsonNode data = ce.path("data");
                JsonNode detail = data.path("detail");
                LedgerEvent event = new LedgerEvent(text(ce, "id"), text(data, "walletId"), text(data, "tenantId"),
                        number(data, "seq"), text(ce, "type"), text(data, "currency"), number(data, "amountMicros"),
                        number(data, "balanceAfterMicros"), Instant.parse(text(data, "occurredAt")).atOffset(ZoneOffset.UTC),
                        detail.isObject() ? detail.toString() : "{}", detail.path("item").asText(""), detail.path("channel").asText(""));
                if (event.seq() < 1 || event.currency().length() != 3 || event.eventId().length() > 100
                        || event.walletId().length() > 64 || event.tenantId().length() > 64 || event.type().length() > 40
                        || event.item().length() > 64 || event.channel().length() > 64) {
                    throw new IllegalArgumentException("a field is out of range for the ledger");
                }
                return event;
            } catch (RuntimeException | java.io.IOException e) {
                throw new IllegalArgumentException("not a Tollgate wallet event: " + e.getMessage(), e);
            }
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            if (value == null || !value.isTextual()) {
                throw new IllegalArgumentException("missing text field " + field);
            }
            return value.asText();
        }

        private static long number(JsonNode node, String field) {
            JsonNode value = node.get(field);
            if (value == null || !value.isIntegralNumber()) {
                throw new IllegalArgumentException("missing integer field " + field);
            }
            return value.asLong();
        }
    }
}
