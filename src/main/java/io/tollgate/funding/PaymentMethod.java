package io.tollgate.funding;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A tenant's saved card as the provider's reference (table payment_method, V2__funding.sql). Never a card number. */
@Entity
@Table(name = "payment_method")
public class PaymentMethod extends PanacheEntityBase {
    public enum Role { DEFAULT, BACKUP, NONE }

    @Id
    public String id;
    @Column(name = "tenant_id")
    public String tenantId;
    @Column(name = "provider_ref")
    public String providerRef;
    @Column(name = "customer_ref")
    public String customerRef;
    public String brand;
    @Column(columnDefinition = "char(4)")
    public String last4;
    @Column(name = "exp_month")
    public short expMonth;
    @Column(name = "exp_year")
    public short expYear;
    public String role;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    /** What the API shows: enough to recognise the card, nothing to charge it with. */
    @Schema(name = "PaymentMethod", description = "A saved card as the provider's reference: enough to recognise it, nothing to charge it with.")
    public record View(
            @Schema(description = "The method's id (`pm_…`, Tollgate's own, not the provider's).") String id,
            @Schema(description = "Card brand.", enumeration = {"visa", "mastercard", "amex", "discover", "diners", "jcb", "unionpay", "unknown"})
            String brand,
            @Schema(description = "The card number's last four digits.", examples = "4242") String last4,
            @Schema(description = "Expiry month, 1–12.") int expMonth,
            @Schema(description = "Expiry year, four digits.") int expYear,
            @Schema(description = "`default` (charged first), `backup` (charged when the default is declined) or `none`.",
                    enumeration = {"default", "backup", "none"}) String role) {
    }

    public View view() {
        return new View(id, brand, last4, expMonth, expYear, role);
    }
}
