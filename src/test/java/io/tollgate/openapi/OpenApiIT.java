package io.tollgate.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tollgate.infra.http.ProblemType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at /q/openapi is complete and tells the truth (docs/reference/api.md#openapi). Each rule names
 * its offenders ("POST /v1/wallets: ..."). The rules are driven by the document itself; the allow-lists below are the
 * only per-operation knowledge, each taken from docs/reference/api.md. {@link #everyRuleCatchesABrokenDocument} breaks
 * a copy of the document once per rule and checks the rule notices, so no rule can pass vacuously.
 */
@QuarkusTest
class OpenApiIT {
    /** Operations that take no API key (methods annotated @Public). */
    static final Set<String> PUBLIC = Set.of("POST /v1/provider-webhooks/stripe");
    /** POSTs that create nothing addressable and answer 200 (api.md); every other POST must answer 201 or 202. */
    static final Set<String> NON_CREATING_POSTS = Set.of(
            "POST /v1/wallets/{walletId}/debits",
            "POST /v1/debit-batches",
            "POST /v1/wallets/{walletId}/debits/{debitId}/reversals",
            "POST /v1/wallets/{walletId}/credits",
            "POST /v1/wallets/{walletId}/debit-checks",
            "POST /v1/provider-webhooks/stripe",
            "POST /v1/admin/wallets/{walletId}/rebuild");
    /** DELETEs that answer 200 with a body (api.md: revoking a key answers the key); every other DELETE answers 204. */
    static final Set<String> DELETES_ANSWERING_200 = Set.of("DELETE /v1/api-keys/{keyId}");
    /** Operations that require an Idempotency-Key header (api.md: credits, debits, reversals, top-up confirmation). */
    static final Set<String> IDEMPOTENCY_KEY_REQUIRED = Set.of(
            "POST /v1/wallets/{walletId}/credits",
            "POST /v1/wallets/{walletId}/debits",
            "POST /v1/wallets/{walletId}/debits/{debitId}/reversals",
            "POST /v1/wallets/{walletId}/top-ups");
    /** Operations that accept an optional Idempotency-Key header (api.md: wallet creation). */
    static final Set<String> IDEMPOTENCY_KEY_OPTIONAL = Set.of("POST /v1/wallets");
    /** Operations that answer CSV (api.md: the activity exports): their success response is text/csv with a schema, not JSON. */
    static final Set<String> CSV_EXPORTS = Set.of("GET /v1/activity.csv", "GET /v1/wallets/{walletId}/activity.csv");
    /** api.md: tenant-scoped are all authenticated endpoints except /v1/tenants… and /v1/admin/…. */
    static final List<String> NOT_TENANT_SCOPED = List.of("/v1/tenants", "/v1/admin/");

    static final String BEARER = "apiKey";
    static final String TENANT_HEADER = "Tollgate-Tenant";
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    static final String PROBLEM_JSON = "application/problem+json";
    static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode document;

    record Op(String key, String method, String path, JsonNode node) {
    }

    static synchronized JsonNode document() throws Exception {
        if (document == null) {
            String body = RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                    .extract().asString();
            document = JSON.readTree(body);
        }
        return document;
    }

    // ---- the rules, one test each ----

    @Test
    void everyOperationHasASummaryAndATag() throws Exception {
        assertNone("operations without a summary or tag", summariesAndTags(document()));
    }

    @Test
    void everyOperationAnswersSuccessWithASchema() throws Exception {
        assertNone("success responses", successResponses(document()));
    }

    @Test
    void createsAnswer201AndDeletes204() throws Exception {
        assertNone("status codes of creates and deletes", createAndDeleteCodes(document()));
    }

    @Test
    void authenticatedOperationsNeedTheBearerKeyAndAnswer401And403() throws Exception {
        assertNone("security", security(document()));
    }

    @Test
    void tenantScopedOperationsDeclareTheTenantHeader() throws Exception {
        assertNone("Tollgate-Tenant header", tenantHeader(document()));
    }

    @Test
    void idempotencyKeyIsDeclaredWhereTheApiUsesIt() throws Exception {
        assertNone("Idempotency-Key header", idempotencyKey(document()));
    }

    @Test
    void errorsAreProblemsNamingTheirTypes() throws Exception {
        assertNone("problem responses", problemResponses(document()));
    }

    @Test
    void everyParameterHasADescription() throws Exception {
        assertNone("parameters", parameterDescriptions(document()));
    }

    @Test
    void schemaNamesAreReadable() throws Exception {
        assertNone("schema names", schemaNames(document()));
    }

    @Test
    void everySchemaAndPropertyHasADescription() throws Exception {
        assertNone("schema descriptions", schemaDescriptions(document()));
    }

    @Test
    void allowListsNameExistingOperations() throws Exception {
        assertNone("allow-list entries", allowLists(document()));
    }

    @Test
    void documentHasTheExpectedShape() throws Exception {
        JsonNode doc = document();
        List<Op> ops = operations(doc);
        assertTrue(ops.size() >= 35, "expected at least the 35 operations of api.md, found " + ops.size());
        assertEquals("http", doc.at("/components/securitySchemes/" + BEARER + "/type").asText());
        assertEquals("bearer", doc.at("/components/securitySchemes/" + BEARER + "/scheme").asText());
        assertTrue(ops.stream().anyMatch(op -> op.key().equals("POST /v1/wallets/{walletId}/debits")),
                "the debit route (served by DebitRoute) is documented through DebitResource#authorise");
    }

    /** Each rule, run on a copy of the document broken in the way it guards against, names the broken place. */
    @Test
    void everyRuleCatchesABrokenDocument() throws Exception {
        String debit = "/paths/~1v1~1wallets~1{walletId}~1debits/post";
        String createWallet = "/paths/~1v1~1wallets/post";
        String getWallet = "/paths/~1v1~1wallets~1{walletId}/get";
        String deleteEndpoint = "/paths/~1v1~1webhook-endpoints~1{endpointId}/delete";
        String credit = "/paths/~1v1~1wallets~1{walletId}~1credits/post";
        expectCaught("no summary", OpenApiIT::summariesAndTags, debit, op -> ((ObjectNode) op).remove("summary"),
                "POST /v1/wallets/{walletId}/debits");
        expectCaught("no tags", OpenApiIT::summariesAndTags, getWallet, op -> ((ObjectNode) op).remove("tags"),
                "GET /v1/wallets/{walletId}");
        expectCaught("no success schema", OpenApiIT::successResponses, getWallet,
                op -> ((ObjectNode) op.at("/responses/200")).remove("content"), "GET /v1/wallets/{walletId}");
        expectCaught("CSV export without its text/csv schema", OpenApiIT::successResponses, "/paths/~1v1~1activity.csv/get",
                op -> ((ObjectNode) op.at("/responses/200/content")).remove("text/csv"), "GET /v1/activity.csv");
        expectCaught("create answering 200", OpenApiIT::createAndDeleteCodes, createWallet,
                op -> renameField((ObjectNode) op.get("responses"), "201", "200"), "POST /v1/wallets");
        expectCaught("delete answering 200", OpenApiIT::createAndDeleteCodes, deleteEndpoint,
                op -> renameField((ObjectNode) op.get("responses"), "204", "200"), "DELETE /v1/webhook-endpoints/{endpointId}");
        expectCaught("no bearer", OpenApiIT::security, getWallet, op -> ((ObjectNode) op).remove("security"),
                "GET /v1/wallets/{walletId}");
        expectCaught("no 401", OpenApiIT::security, getWallet, op -> ((ObjectNode) op.get("responses")).remove("401"),
                "GET /v1/wallets/{walletId}");
        expectCaught("no 403", OpenApiIT::security, getWallet, op -> ((ObjectNode) op.get("responses")).remove("403"),
                "GET /v1/wallets/{walletId}");
        expectCaught("no tenant header", OpenApiIT::tenantHeader, getWallet,
                op -> removeParameter(op, TENANT_HEADER), "GET /v1/wallets/{walletId}");
        expectCaught("optional Idempotency-Key where required", OpenApiIT::idempotencyKey, credit,
                op -> parameter(op, IDEMPOTENCY_HEADER).put("required", false), "POST /v1/wallets/{walletId}/credits");
        expectCaught("no Idempotency-Key", OpenApiIT::idempotencyKey, debit,
                op -> removeParameter(op, IDEMPOTENCY_HEADER), "POST /v1/wallets/{walletId}/debits");
        expectCaught("problem without its slug", OpenApiIT::problemResponses, getWallet,
                op -> ((ObjectNode) op.at("/responses/404")).put("description", "Not found"), "GET /v1/wallets/{walletId}");
        expectCaught("parameter without description", OpenApiIT::parameterDescriptions, getWallet,
                op -> ((ObjectNode) op.at("/parameters/0")).remove("description"), "GET /v1/wallets/{walletId}");
        expectCaught("schema name ending in a digit", OpenApiIT::schemaNames, "/components/schemas",
                schemas -> renameField((ObjectNode) schemas, "WalletCreate", "Create1"), "Create1");
        expectCaught("property without description", OpenApiIT::schemaDescriptions, "/components/schemas/Wallet/properties/balanceMicros",
                property -> ((ObjectNode) property).remove("description"), "Wallet.balanceMicros");
        expectCaught("enum without description", OpenApiIT::schemaDescriptions, "/components/schemas/WalletStatus",
                schema -> ((ObjectNode) schema).remove("description"), "WalletStatus");
        expectCaught("stale allow-list entry", OpenApiIT::allowLists, "/paths",
                paths -> ((ObjectNode) paths).remove("/v1/debit-batches"), "POST /v1/debit-batches");
    }

    // ---- rules: each returns its offenders, one line each ----

    static List<String> summariesAndTags(JsonNode doc) {
        List<String> bad = new ArrayList<>();
        for (Op op : operations(doc)) {
            if (op.node().path("summary").asText().isBlank()) {
                bad.add(op.key() + ": no summary (@Operation(summary = ...))");
            }
            if (!op.node().path("tags").isArray() || op.node().path("tags").isEmpty()) {
                bad.add(op.key() + ": no tag (@Tag on the resource class)");
            }
        }
        return bad;
    }

    static List<String> successResponses(JsonNode doc) {
        List<String> bad = new ArrayList<>();
        for (Op op : operations(doc)) {
            List<String> codes = successCodes(op);
            if (codes.size() != 1) {
                bad.add(op.key() + ": expected one 2xx response, found " + codes);
                continue;
            }
            JsonNode response = op.node().path("responses").path(codes.get(0));
            if (response.path("description").asText().isBlank()) {
                bad.add(op.key() + ": the " + codes.get(0) + " response has no description");
            }
            if (codes.get(0).equals("204")) {
                if (response.has("content")) {
                    bad.add(op.key() + ": 204 with content");
                }
            } else if (CSV_EXPORTS.contains(op.key())) {
                if (!response.path("content").path("text/csv").has("schema")) {
                    bad.add(op.key() + ": a CSV export's " + codes.get(0) + " response has no text/csv schema");
                }
            } else if (!response.path("content").path("application/json").has("schema")) {
                bad.add(op.key() + ": the " + codes.get(0) + " response has no application/json schema "
                        + "(@APIResponse(content = @Content(schema = @Schema(implementation = ...))))");
            }
        }
        return bad;
    }

    static List<String> createAndDeleteCodes(JsonNode doc) {
        List<String> bad = new ArrayList<>();
        for (Op op : operations(doc)) {
            List<String> codes = successCodes(op);
            if (op.method().equals("POST") && codes.contains("200") && !NON_CREATING_POSTS.contains(op.key())) {
                bad.add(op.key() + ": a POST answering 200; a create answers 201 (or add it to NON_CREATING_POSTS if api.md says 200)");
            }
            if (op.method().equals("POST") && NON_CREATING_POSTS.contains(op.key()) && !codes.contains("200")) {
                bad.add(op.key() + ": listed in NON_CREATING_POSTS but answers " + codes);
            }
            if (op.method().equals("DELETE")) {
                String expected = DELETES_ANSWERING_200.contains(op.key()) ? "200" : "204";
                if (!codes.equals(List.of(expected))) {
                    bad.add(op.key() + ": a DELETE answering " + codes + ", expected " + expected);
                }
            }
        }
        return bad;
    }

    static List<String> security(JsonNode doc) {
        List<String> bad = new ArrayList<>();
        if (!doc.at("/components/securitySchemes/" + BEARER + "/scheme").asText().equals("bearer")) {
            bad.add("components.securitySchemes." + BEARER + ": not an HTTP bearer scheme");
        }
        for (Op op : operations(doc)) {
            boolean bearer = false;
            for (JsonNode requirement : op.node().path("security")) {
                bearer |= requirement.has(BEARER);
            }
            if (PUBLIC.contains(op.key())) {
                if (bearer || op.node().path("responses").has("401")) {
                    bad.add(op.key() + ": public, but documented as needing an API key");
                }
                continue;
            }
            if (!bearer) {
                bad.add(op.key() + ": no " + BEARER + " security requirement (or add it to PUBLIC if it is @Public)");
            }
            for (String status : List.of("401", "403")) {
                if (!op.node().path("responses").path(status).path("content").has(PROBLEM_JSON)) {
                    bad.add(op.key() + ": no " + status + " problem response");
                }
            }
        }
        return bad;
    }

    static List<String> tenantHeader(JsonNode doc) {
        List<String> bad = new ArrayList<>();
        for (Op op : operations(doc)) {
            boolean tenantScoped = !PUBLIC.contains(op.key()) && NOT_TENANT_SCOPED.stream().noneMatch(op.path()::startsWith);
            JsonNode header = findParameter(doc, op.node(), TENANT_HEADER);
            if (tenantScoped && header == null) {
                bad.add(op.key() + ": tenant-scoped but no " + TENANT_HEADER + " header parameter");
            } else if (tenantScoped && (header.path("required").asBoolean(false) || header.path("description").asText().isBlank())) {
                bad.add(op.key() + ": the " + TENANT_HEADER + " header must be optional (tenant keys may omit it) and described");
            } else if (!tenantScoped && header != null) {
                bad.add(op.key() + ": not tenant-scoped but declares " + TENANT_HEADER);
            }
        }
        return bad;
    }

    static List<String> idempotencyKey(JsonNode doc) {
        List<String> bad = new ArrayList<>();
        for (Op op : operations(doc)) {
            JsonNode header = findParameter(doc, op.node(), IDEMPOTENCY_HEADER);
            boolean required = header != null && header.path("required").asBoolean(false);
            if (IDEMPOTENCY_KEY_REQUIRED.contains(op.key()) && !required) {
                bad.add(op.key() + ": api.md requires an Idempotency-Key, the document " + (header == null ? "omits it" : "says optional"));
            } else if (IDEMPOTENCY_KEY_OPTIONAL.contains(op.key()) && (header == null || required)) {
                bad.add(op.key() + ": api.md takes an optional Idempotency-Key, the document " + (header == null ? "omits it" : "requires it"));
            } else if (header != null && !IDEMPOTENCY_KEY_REQUIRED.contains(op.key()) && !IDEMPOTENCY_KEY_OPTIONAL.contains(op.key())) {
                bad.add(op.key() + ": declares an Idempotency-Key that api.md does not list (add it to the lists here if it is new)");
            }
            if (header != null && successCodes(op).stream().noneMatch(code ->
                    op.node().path("responses").path(code).path("headers").has("Idempotent-Replayed"))) {
                bad.add(op.key() + ": takes an Idempotency-Key but its success response has no Idempotent-Replayed header");
            }
        }
        return bad;
    }

    static List<String> problemResponses(JsonNode doc) {
        List<String> bad = new ArrayList<>();
        if (!doc.at("/components/schemas/Problem").isObject()) {
            bad.add("components.schemas.Problem is missing");
        }
        for (Op op : operations(doc)) {
            if (!op.node().path("responses").has("500")) {
                bad.add(op.key() + ": no 500 problem response");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = op.node().path("responses").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> response = it.next();
                int status = Integer.parseInt(response.getKey());
                if (status < 400) {
                    continue;
                }
                String where = op.key() + " " + status;
                JsonNode problem = response.getValue().path("content").path(PROBLEM_JSON);
                if (!problem.path("schema").path("$ref").asText().endsWith("/Problem")) {
                    bad.add(where + ": not an application/problem+json Problem");
                }
                JsonNode slugs = response.getValue().path("x-problem-types");
                if (!slugs.isArray() || slugs.isEmpty()) {
                    bad.add(where + ": names no problem type (x-problem-types)");
                }
                for (JsonNode slug : slugs) {
                    ProblemType type = Arrays.stream(ProblemType.values()).filter(t -> t.slug().equals(slug.asText())).findFirst().orElse(null);
                    if (type == null || type.status() != status) {
                        bad.add(where + ": '" + slug.asText() + "' is not a problem type with status " + status);
                    }
                    if (!response.getValue().path("description").asText().contains("`" + slug.asText() + "`")) {
                        bad.add(where + ": the description does not name '" + slug.asText() + "'");
                    }
                }
            }
        }
        return bad;
    }

    static List<String> parameterDescriptions(JsonNode doc) {
        List<String> bad = new ArrayList<>();
        for (Op op : operations(doc)) {
            for (JsonNode parameter : op.node().path("parameters")) {
                JsonNode resolved = resolve(doc, parameter);
                if (resolved.path("description").asText().isBlank()) {
                    bad.add(op.key() + ": parameter '" + resolved.path("name").asText() + "' has no description");
                }
            }
        }
        return bad;
    }

    static List<String> schemaNames(JsonNode doc) {
        List<String> bad = new ArrayList<>();
        doc.path("components").path("schemas").fieldNames().forEachRemaining(name -> {
            if (Character.isDigit(name.charAt(name.length() - 1))) {
                bad.add(name + ": a generated name; give the class @Schema(name = ...)");
            }
        });
        return bad;
    }

    static List<String> schemaDescriptions(JsonNode doc) {
        List<String> bad = new ArrayList<>();
        doc.path("components").path("schemas").fields().forEachRemaining(schema -> {
            if (schema.getValue().path("description").asText().isBlank()) {
                bad.add(schema.getKey() + ": no description (@Schema(description = ...) on the class or enum)");
            }
            properties(schema.getKey(), schema.getValue(), bad);
        });
        return bad;
    }

    /** Properties of the schema and of the inline object schemas in it, each needing a description. */
    private static void properties(String where, JsonNode schema, List<String> bad) {
        schema.path("properties").fields().forEachRemaining(property -> {
            String name = where + "." + property.getKey();
            if (property.getValue().path("description").asText().isBlank()) {
                bad.add(name + ": no description (@Schema(description = ...) on the record component or field)");
            }
            properties(name, property.getValue(), bad);
            properties(name + "[]", property.getValue().path("items"), bad);
            properties(name + "{}", property.getValue().path("additionalProperties"), bad);
        });
    }

    static List<String> allowLists(JsonNode doc) {
        Set<String> keys = new java.util.HashSet<>(operations(doc).stream().map(Op::key).toList());
        List<String> bad = new ArrayList<>();
        for (Set<String> list : List.of(PUBLIC, NON_CREATING_POSTS, DELETES_ANSWERING_200, IDEMPOTENCY_KEY_REQUIRED, IDEMPOTENCY_KEY_OPTIONAL,
                CSV_EXPORTS)) {
            list.stream().filter(key -> !keys.contains(key)).sorted().forEach(key -> bad.add(key + ": allow-listed here, not in the document"));
        }
        return bad;
    }

    // ---- helpers ----

    static List<Op> operations(JsonNode doc) {
        List<Op> ops = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            if (List.of("get", "put", "post", "delete", "patch", "head", "options").contains(method.getKey())) {
                String upper = method.getKey().toUpperCase(java.util.Locale.ROOT);
                ops.add(new Op(upper + " " + path.getKey(), upper, path.getKey(), method.getValue()));
            }
        }));
        return ops;
    }

    static List<String> successCodes(Op op) {
        List<String> codes = new ArrayList<>();
        op.node().path("responses").fieldNames().forEachRemaining(code -> {
            if (code.startsWith("2")) {
                codes.add(code);
            }
        });
        return codes;
    }

    /** A header parameter of the operation by name, following $ref; null if there is none. */
    static JsonNode findParameter(JsonNode doc, JsonNode operation, String name) {
        for (JsonNode parameter : operation.path("parameters")) {
            JsonNode resolved = resolve(doc, parameter);
            if (resolved.path("in").asText().equals("header") && resolved.path("name").asText().equalsIgnoreCase(name)) {
                return resolved;
            }
        }
        return null;
    }

    static JsonNode resolve(JsonNode doc, JsonNode node) {
        String ref = node.path("$ref").asText();
        return ref.startsWith("#") ? doc.at(ref.substring(1)) : node;
    }

    private static void assertNone(String what, List<String> offenders) {
        assertTrue(offenders.isEmpty(), offenders.size() + " " + what + " break the rules:\n  " + String.join("\n  ", offenders));
    }

    private void expectCaught(String breakage, Function<JsonNode, List<String>> rule, String pointer, Consumer<JsonNode> breakIt,
            String offender) throws Exception {
        JsonNode original = document();
        assertTrue(rule.apply(original).stream().noneMatch(line -> line.startsWith(offender + ":") || line.startsWith(offender + " ")),
                breakage + ": the intact document already fails for " + offender);
        JsonNode copy = original.deepCopy();
        JsonNode target = copy.at(pointer);
        assertTrue(!target.isMissingNode(), breakage + ": nothing at " + pointer);
        breakIt.accept(target);
        List<String> found = rule.apply(copy);
        assertTrue(found.stream().anyMatch(line -> line.startsWith(offender + ":") || line.startsWith(offender + " ")),
                breakage + ": the rule did not name " + offender + "; it found " + found);
    }

    private static void renameField(ObjectNode node, String from, String to) {
        node.set(to, node.remove(from));
    }

    private static ObjectNode parameter(JsonNode operation, String name) {
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.path("name").asText().equals(name)) {
                return (ObjectNode) parameter;
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    private static void removeParameter(JsonNode operation, String name) {
        com.fasterxml.jackson.databind.node.ArrayNode parameters = (com.fasterxml.jackson.databind.node.ArrayNode) operation.get("parameters");
        for (int i = parameters.size() - 1; i >= 0; i--) {
            JsonNode parameter = parameters.get(i);
            if (parameter.path("name").asText().equals(name) || parameter.path("$ref").asText().endsWith("/TollgateTenant") && name.equals(TENANT_HEADER)) {
                parameters.remove(i);
            }
        }
    }
}
