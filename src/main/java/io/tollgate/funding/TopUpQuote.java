package io.tollgate.funding;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
    @Schema(name = "TopUpQuote", description = "What a manual top-up will cost: the wallet gets `amountMicros`, the card is "
            + "charged `totalMicros`.")
    public record View(
            @Schema(description = "The quote's id (`q_…`), to confirm it.") String id,
            @Schema(description = "The wallet to top up.") String walletId,
            @Schema(description = "ISO 4217 code of the wallet's currency.") String currency,
            @Schema(description = "What the wallet gets, in micros.") long amountMicros,
            @Schema(description = "The fee, in micros: `fee-basis-points` of the amount plus `fee-fixed-micros`, rounded up "
                    + "to the minor unit.") long feeMicros,
            @Schema(description = "What the card is charged: amount + fee, in micros.") long totalMicros,
            @Schema(description = "The payment method to charge.") String paymentMethodId,
            @Schema(description = "Confirm before this time (RFC 3339); later is 422 `quote-expired`.") OffsetDateTime expiresAt) {
    }

    public View view() {
        return new View(id, walletId, currency, amountMicros, feeMicros, amountMicros + feeMicros, paymentMethodId, expiresAt);
    }
}
