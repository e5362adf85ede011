package io.tollgate.tenant;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request and the tenant it acts for, set by {@link AuthFilter}. */
@RequestScoped
public class CurrentCaller {
    private Caller caller;
    private String actingTenantId;

    void set(Caller caller, String actingTenantId) {
        this.caller = caller;
        this.actingTenantId = actingTenantId;
    }

    public Caller caller() {
        return caller;
    }

    /** The tenant this request acts for: the key's own, or for admin keys the Tollgate-Tenant header. */
    public String tenantId() {
        if (actingTenantId == null) {
            throw tenantRequired();
        }
        return actingTenantId;
    }

    /** An admin key acting without naming a tenant, where the operation needs one. */
    public static ProblemException tenantRequired() {
        return new ProblemException(ProblemType.TENANT_REQUIRED, "set the Tollgate-Tenant header to the tenant's id");
    }
}
