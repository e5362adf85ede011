package io.tollgate.funding;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Ids;
import io.tollgate.infra.Times;
import io.tollgate.infra.db.SqlErrors;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A tenant's payment methods. Errors: {@code invalid-request}, {@code payment-method-not-found} (also for another
 * tenant's method or a deleted one), {@code concurrent-change} (two requests made a default at the same time).
 */
@ApplicationScoped
public class PaymentMethodService {
    static final int PER_TENANT_MAX = 20;

    public Uni<PaymentMethod.View> create(String tenantId, PaymentMethodRequests.Create request) {
        if (request == null) {
            throw PaymentMethodRequests.invalid("a body is required");
        }
        request.validate();
        PaymentMethod.Role role = PaymentMethodRequests.role(request.role());
        return Panache.withTransaction(() -> PaymentMethod.count("tenantId = ?1 and deletedAt is null", tenantId).chain(count -> {
            if (count >= PER_TENANT_MAX) {
                throw PaymentMethodRequests.invalid("a tenant keeps at most " + PER_TENANT_MAX + " payment methods; delete one first");
            }
            PaymentMethod method = new PaymentMethod();
            method.id = Ids.newId("pm_");
            method.tenantId = tenantId;
            method.providerRef = request.providerRef();
            method.customerRef = request.customerRef();
            method.brand = request.brand();
            method.last4 = request.last4();
            method.expMonth = request.expMonth().shortValue();
            method.expYear = request.expYear().shortValue();
            method.role = "none";
            return method.<PaymentMethod>persist().chain(saved -> assignRole(saved, role));
        })).map(PaymentMethod::view).onFailure(SqlErrors::isUniqueViolation).transform(PaymentMethodService::concurrent);
    }

    public Uni<List<PaymentMethod.View>> list(String tenantId) {
        return Panache.withSession(() -> PaymentMethod.<PaymentMethod>list("tenantId = ?1 and deletedAt is null order by createdAt, id", tenantId))
                .map(all -> all.stream().map(PaymentMethod::view).toList());
    }

    public Uni<PaymentMethod.View> update(String tenantId, String methodId, PaymentMethodRequests.Patch patch) {
        if (patch == null) {
            throw PaymentMethodRequests.invalid("a body is required");
        }
        patch.validate();
        PaymentMethod.Role role = PaymentMethodRequests.role(patch.role());
        return Panache.withTransaction(() -> owned(tenantId, methodId).chain(method -> assignRole(method, role)))
                .map(PaymentMethod::view).onFailure(SqlErrors::isUniqueViolation).transform(PaymentMethodService::concurrent);
    }

    /** Deletes a method; automatic top-ups that named it fall back to the default method. */
    public Uni<Void> delete(String tenantId, String methodId) {
        return Panache.withTransaction(() -> owned(tenantId, methodId).invoke(method -> {
            method.deletedAt = Times.nowUtc();
            method.role = "none";
        })).replaceWithVoid();
    }

    /** The method if it belongs to the tenant and is not deleted. Error: {@code payment-method-not-found}. */
    public Uni<PaymentMethod> usable(String tenantId, String methodId) {
        return Panache.withSession(() -> owned(tenantId, methodId));
    }

    /** The tenant's default or backup method, if it has one. */
    public Uni<Optional<PaymentMethod>> withRole(String tenantId, PaymentMethod.Role role) {
        return Panache.withSession(() -> PaymentMethod.<PaymentMethod>find("tenantId = ?1 and role = ?2 and deletedAt is null",
                tenantId, role.name().toLowerCase(Locale.ROOT)).firstResult()).map(Optional::ofNullable);
    }

    private static Uni<PaymentMethod> owned(String tenantId, String methodId) {
        if (!Ids.isWellFormed(methodId)) {
            return Uni.createFrom().failure(notFound(methodId));
        }
        return PaymentMethod.<PaymentMethod>findById(methodId).map(method -> {
            if (method == null || !tenantId.equals(method.tenantId) || method.deletedAt != null) {
                throw notFound(methodId);
            }
            return method;
        });
    }

    /** Demotes the tenant's current holder of the role first, then flushes, so the unique index sees one holder. */
    private static Uni<PaymentMethod> assignRole(PaymentMethod method, PaymentMethod.Role role) {
        String name = role.name().toLowerCase(Locale.ROOT);
        if (role == PaymentMethod.Role.NONE || name.equals(method.role)) {
            method.role = name;
            return Uni.createFrom().item(method);
        }
        return PaymentMethod.update("role = 'none' where tenantId = ?1 and role = ?2 and deletedAt is null", method.tenantId, name)
                .chain(() -> {
                    method.role = name;
                    return Panache.getSession().chain(session -> session.flush()).replaceWith(method);
                });
    }

    static ProblemException notFound(String methodId) {
        return new ProblemException(ProblemType.PAYMENT_METHOD_NOT_FOUND, "no payment method " + methodId);
    }

    private static Throwable concurrent(Throwable failure) {
        return new ProblemException(ProblemType.CONCURRENT_CHANGE, "another request changed the tenant's payment methods; retry");
    }
}
