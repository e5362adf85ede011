package io.tollgate.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.tollgate.infra.http.IdempotencyKey;
import io.tollgate.infra.http.Problem;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
import io.tollgate.tenant.Allowed;
import io.tollgate.tenant.Authenticator;
import io.tollgate.tenant.Public;
import io.tollgate.tenant.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

/**
 * Completes the OpenAPI document from the annotations the API already runs on, so the document cannot drift from the
 * code: every {@code /v1} operation is matched to its resource method (HTTP method + path), and then
 * <ul>
 * <li>gets the bearer security requirement ({@value #SECURITY_SCHEME}: the API key as the token), unless the method
 * is {@link Public};</li>
 * <li>gets "Roles: …" appended to its description, from {@link Allowed} (admin always may);</li>
 * <li>when tenant-scoped (a tenant role may call it: {@link Allowed} names one), gets the optional
 * {@value Authenticator#TENANT_HEADER} header ({@value #TENANT_PARAMETER} in components);</li>
 * <li>gets one {@code application/problem+json} response per error status, naming each problem type (slug and title
 * from {@link ProblemType}): the types listed in {@link Problems} plus the common ones that apply to it (see
 * {@link #commonProblems});</li>
 * <li>when it takes an {@value IdempotencyKey#HEADER} header, gets that header's rules and the
 * {@value IdempotencyKey#REPLAYED_HEADER} header on its success response.</li>
 * </ul>
 * Runs once, at build time (stage BUILD: it needs the Jandex index, which SmallRye hands to a constructor taking
 * {@link IndexView}); nothing of it runs in the application. A {@code /v1} operation without a resource method stops
 * the build. Documented in docs/reference/api.md#openapi; checked by OpenApiIT.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiDocumentFilter implements OASFilter {
    public static final String SECURITY_SCHEME = "apiKey";
    public static final String TENANT_PARAMETER = "TollgateTenant";
    public static final String PROBLEM_SCHEMA = "Problem";
    /** On each problem response: the slugs it stands for, for tools (the description names them for people). */
    public static final String PROBLEM_TYPES_EXTENSION = "x-problem-types";
    static final String API_PREFIX = "/v1";

    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    private static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final DotName PUBLIC = DotName.createSimple(Public.class.getName());
    private static final DotName ALLOWED = DotName.createSimple(Allowed.class.getName());
    private static final DotName PROBLEMS = DotName.createSimple(Problems.class.getName());
    private static final String JSON = "application/json";

    /** "POST /v1/wallets" → the resource method serving it. */
    private final Map<String, MethodInfo> resourceMethods;

    public OpenApiDocumentFilter(IndexView index) {
        this.resourceMethods = resourceMethods(index);
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        if (components.getSchemas() == null || !components.getSchemas().containsKey(PROBLEM_SCHEMA)) {
            throw new IllegalStateException("the OpenAPI document has no " + PROBLEM_SCHEMA + " schema (" + Problem.class.getName() + ")");
        }
        components.addSecurityScheme(SECURITY_SCHEME, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("The API key (`tg_…`) as the bearer token: `Authorization: Bearer <key>`. The key decides the tenant and the role."));
        components.addParameter(TENANT_PARAMETER, OASFactory.createParameter().name(Authenticator.TENANT_HEADER)
                .in(Parameter.In.HEADER).required(false)
                .description("The tenant this request acts for. Admin keys must send it (without it: 400 `tenant-required`; "
                        + "an unknown tenant: 404 `tenant-not-found`). Tenant keys may omit it; if they send it, it must name "
                        + "their own tenant (otherwise 403 `forbidden`).")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).examples(List.of("t_jxj73oh5div2x3x3sdrm"))));
        addProblemExamples(components);
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.equals(API_PREFIX) || path.startsWith(API_PREFIX + "/")) {
                item.getOperations().forEach((method, operation) -> complete(method, path, operation));
            }
        });
    }

    private void complete(PathItem.HttpMethod httpMethod, String path, Operation operation) {
        String key = httpMethod.name() + " " + path;
        MethodInfo method = resourceMethods.get(key);
        if (method == null) {
            throw new IllegalStateException("OpenAPI: no resource method found for " + key + " (known: " + resourceMethods.keySet() + ")");
        }
        boolean authenticated = !method.hasDeclaredAnnotation(PUBLIC);
        List<Role> roles = allowedRoles(method);
        boolean tenantScoped = authenticated && !roles.isEmpty();
        if (authenticated) {
            operation.setSecurity(new ArrayList<>(List.of(OASFactory.createSecurityRequirement().addScheme(SECURITY_SCHEME))));
            appendDescription(operation, "Roles: " + roleNames(roles) + ".");
        } else {
            operation.setSecurity(new ArrayList<>());
            appendDescription(operation, "No API key.");
        }
        if (tenantScoped && !hasHeader(operation, Authenticator.TENANT_HEADER)) {
            operation.addParameter(OASFactory.createParameter().ref(TENANT_PARAMETER));
        }
        boolean idempotent = completeIdempotencyKey(operation);
        if (idempotent) {
            addReplayedHeader(operation);
        }
        Set<ProblemType> problems = EnumSet.noneOf(ProblemType.class);
        problems.addAll(declaredProblems(method));
        problems.addAll(commonProblems(operation, authenticated, tenantScoped));
        addProblemResponses(operation, problems);
    }

    /**
     * The problem types any such operation can answer with, whatever it does: 406 (Accept without JSON), 500 and 503
     * (a backing service unreachable) everywhere; with an API key also 400 {@code invalid-request}, 401, 403 and 404
     * {@code tenant-not-found} (an admin naming an unknown tenant); tenant-scoped also 400 {@code tenant-required}; with
     * a body also 400 {@code invalid-request}, 413, and 415 when the body must be JSON.
     */
    static Set<ProblemType> commonProblems(Operation operation, boolean authenticated, boolean tenantScoped) {
        Set<ProblemType> common = EnumSet.of(ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL, ProblemType.UNAVAILABLE);
        if (authenticated) {
            common.addAll(EnumSet.of(ProblemType.INVALID_REQUEST, ProblemType.UNAUTHENTICATED, ProblemType.FORBIDDEN,
                    ProblemType.TENANT_NOT_FOUND));
        }
        if (tenantScoped) {
            common.add(ProblemType.TENANT_REQUIRED);
        }
        RequestBody body = operation.getRequestBody();
        if (body != null) {
            common.addAll(EnumSet.of(ProblemType.INVALID_REQUEST, ProblemType.PAYLOAD_TOO_LARGE));
            Map<String, MediaType> types = body.getContent() == null ? Map.of() : body.getContent().getMediaTypes();
            if (!types.containsKey("*/*")) {
                common.add(ProblemType.UNSUPPORTED_MEDIA_TYPE);
            }
        }
        return common;
    }

    /** An example problem of each type, in components, for the responses to refer to. */
    private static void addProblemExamples(Components components) {
        for (ProblemType type : ProblemType.values()) {
            Map<String, Object> example = new LinkedHashMap<>();
            example.put("type", type.uri());
            example.put("title", type.title());
            example.put("status", type.status());
            components.addExample(type.slug(), OASFactory.createExample().summary(type.title()).value(example));
        }
    }

    /** One response per status, replacing whatever the scanner put there; examples refer to {@link #addProblemExamples}. */
    private static void addProblemResponses(Operation operation, Set<ProblemType> problems) {
        Map<Integer, List<ProblemType>> byStatus = new TreeMap<>();
        problems.forEach(type -> byStatus.computeIfAbsent(type.status(), s -> new ArrayList<>()).add(type));
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        operation.setResponses(responses);
        byStatus.forEach((status, types) -> {
            MediaType problemJson = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_SCHEMA));
            for (ProblemType type : types) {
                problemJson.addExample(type.slug(), OASFactory.createExample().ref(type.slug()));
            }
            String description = types.stream().map(t -> "- `" + t.slug() + "`: " + t.title()).collect(Collectors.joining("\n",
                    types.size() == 1 ? "Problem type:\n\n" : "Problem types:\n\n", ""));
            APIResponse response = OASFactory.createAPIResponse().description(description)
                    .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, problemJson));
            response.addExtension(PROBLEM_TYPES_EXTENSION, types.stream().map(ProblemType::slug).toList());
            responses.addAPIResponse(String.valueOf(status), response);
        });
    }

    /** Gives the Idempotency-Key header, if the operation takes one, its rules; true if it takes one. */
    private static boolean completeIdempotencyKey(Operation operation) {
        boolean found = false;
        for (Parameter parameter : operation.getParameters() == null ? List.<Parameter>of() : operation.getParameters()) {
            if (parameter.getIn() == Parameter.In.HEADER && IdempotencyKey.HEADER.equalsIgnoreCase(parameter.getName())) {
                found = true;
                if (parameter.getDescription() == null || parameter.getDescription().isBlank()) {
                    parameter.setDescription(Boolean.TRUE.equals(parameter.getRequired())
                            ? "Required. The caller's name for this request, 1–255 printable ASCII characters: a retry with the same "
                                    + "key and body answers the stored result instead of acting twice (`Idempotent-Replayed: true`); "
                                    + "the same key with another body is 422 `idempotency-conflict`. Keys are per tenant."
                            : "Optional. The caller's name for this request, 1–255 printable ASCII characters: a retry with the "
                                    + "same key answers the stored result instead of acting twice (`Idempotent-Replayed: true`).");
                }
                parameter.setSchema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).minLength(1)
                        .maxLength(IdempotencyKey.MAX_CHARS).pattern("^[\\x20-\\x7E]+$").examples(List.of("send-7f3a-1")));
            }
        }
        return found;
    }

    private static void addReplayedHeader(Operation operation) {
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return;
        }
        operation.getResponses().getAPIResponses().forEach((code, response) -> {
            if (code.startsWith("2")) {
                response.addHeader(IdempotencyKey.REPLAYED_HEADER, OASFactory.createHeader()
                        .description("`true` if this is the stored answer to an earlier request with the same Idempotency-Key, "
                                + "`false` if this request did the work. Sent when the request carried an Idempotency-Key.")
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.BOOLEAN)));
            }
        });
    }

    private static boolean hasHeader(Operation operation, String name) {
        return operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> p.getIn() == Parameter.In.HEADER && name.equalsIgnoreCase(p.getName()));
    }

    private static void appendDescription(Operation operation, String sentence) {
        String description = operation.getDescription();
        operation.setDescription(description == null || description.isBlank() ? sentence : description + "\n\n" + sentence);
    }

    /** The roles {@link Allowed} names; empty for admin-only methods (and those without it, which only admin may call). */
    private static List<Role> allowedRoles(MethodInfo method) {
        AnnotationInstance allowed = method.declaredAnnotation(ALLOWED);
        if (allowed == null || allowed.value() == null) {
            return List.of();
        }
        return Arrays.stream(allowed.value().asEnumArray()).map(Role::valueOf).toList();
    }

    private static String roleNames(List<Role> roles) {
        List<String> names = new ArrayList<>(roles.stream().filter(r -> r != Role.ADMIN).map(Role::json).toList());
        names.add(Role.ADMIN.json());
        return String.join(", ", names);
    }

    private static List<ProblemType> declaredProblems(MethodInfo method) {
        AnnotationInstance problems = method.declaredAnnotation(PROBLEMS);
        if (problems == null || problems.value() == null) {
            return List.of();
        }
        return Arrays.stream(problems.value().asEnumArray()).map(ProblemType::valueOf).toList();
    }

    /** Every JAX-RS resource method of the index, by "METHOD /path" as the document spells it. */
    static Map<String, MethodInfo> resourceMethods(IndexView index) {
        Map<String, MethodInfo> methods = new TreeMap<>();
        for (AnnotationInstance classPath : index.getAnnotations(PATH)) {
            if (classPath.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            ClassInfo resource = classPath.target().asClass();
            for (MethodInfo method : resource.methods()) {
                String httpMethod = httpMethodOf(method);
                if (httpMethod != null) {
                    AnnotationInstance methodPath = method.declaredAnnotation(PATH);
                    methods.put(httpMethod + " " + join(classPath.value().asString(), methodPath == null ? "" : methodPath.value().asString()), method);
                }
            }
        }
        return methods;
    }

    private static String httpMethodOf(MethodInfo method) {
        for (String name : HTTP_METHODS) {
            if (method.hasDeclaredAnnotation(DotName.createSimple("jakarta.ws.rs." + name))) {
                return name;
            }
        }
        return null;
    }

    /** The template as OpenAPI writes it: one slash between segments, none at the end, {name: regex} as {name}. */
    static String join(String classPath, String methodPath) {
        String path = ("/" + classPath + "/" + methodPath).replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
