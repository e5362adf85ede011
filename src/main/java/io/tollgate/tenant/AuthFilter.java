package io.tollgate.tenant;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every API request by its {@code Authorization: Bearer <key>} header and checks the method's
 * {@link Allowed} roles ({@link Authenticator}). Missing or unknown key: 401; role not allowed: 403. Admin keys act
 * for the tenant named in {@code Tollgate-Tenant}; a tenant key may only name its own tenant there.
 */
public class AuthFilter {
    public static final String TENANT_HEADER = Authenticator.TENANT_HEADER;

    private final Authenticator authenticator;
    private final CurrentCaller current;

    public AuthFilter(Authenticator authenticator, CurrentCaller current) {
        this.authenticator = authenticator;
        this.current = current;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method != null && method.isAnnotationPresent(Public.class)) {
            return Uni.createFrom().nullItem();
        }
        Allowed allowed = method == null ? null : method.getAnnotation(Allowed.class);
        return authenticator.authenticate(request.getHeaderString("Authorization"), request.getHeaderString(TENANT_HEADER),
                        allowed == null ? null : allowed.value())
                .map(acting -> {
                    current.set(acting.caller(), acting.tenantId());
                    return (Response) null;
                })
                .onFailure(ProblemException.class).recoverWithItem(e -> ((ProblemException) e).problem().toResponse());
    }
}
