package io.tollgate.ledger;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One wallet event in the durable ledger (table ledger_entry, see V1__ledger.sql). */
@Entity
@Table(name = "ledger_entry")
public class LedgerEntry extends PanacheEntityBase {
    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "wallet_id", nullable = false)
    public String walletId;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public long seq;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false, columnDefinition = "char(3)")
    public String currency;

    @Column(name = "amount_micros", nullable = false)
    public long amountMicros;

    @Column(name = "balance_after_micros", nullable = false)
    public long balanceAfterMicros;

    @Column(name = "occurred_at", nullable = false)
    public OffsetDateTime occurredAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String data;
}
