package io.tollgate.funding;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** What a manual top-up will cost, valid until expiresAt (table top_up_quote). */
@Entity
@Table(name = "top_up_quote")
public class TopUpQuote extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "tenant_id")
    public String tenantId;
    @Column(name = "wallet_id")
    public String walletId;
    @Column(columnDefinition = "char(3)")
    public String currency;
    @Column(name = "amount_micros")
    public long amountMicros;
    @Column(name = "fee_micros")
    public long feeMicros;
    @Column(name = "payment_method_id")
    public String paymentMethodId;
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    /** The amount is credited to the wallet; the card is charged totalMicros = amount + fee. */
    public record View(String id, String walletId, String currency, long amountMicros, long feeMicros, long totalMicros,
            String paymentMethodId, OffsetDateTime expiresAt) {
    }

    public View view() {
        return new View(id, walletId, currency, amountMicros, feeMicros, amountMicros + feeMicros, paymentMethodId, expiresAt);
    }
}
