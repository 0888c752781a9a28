package com.invoicehub.platform.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;

/**
 * The OpenAPI document at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}): what the API is, its tags
 * (one per feature), how to authenticate, the one error shape of CONTRACT §10 and the answers every call may get,
 * and examples of the main request bodies. The partner webhook, served by Camel rather than a controller, is added by
 * the ingest module next to the code that serves it.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocumentation {

    /** The API's version (its paths say v1), not the jar's: it changes when the contract does. */
    static final String VERSION = "1.0.0";

    public static final String BASIC = "basicAuth";
    public static final String API_KEY = "apiKey";
    public static final String ERROR = "Error";

    @Bean
    OpenAPI hubOpenApi() {
        return new OpenAPI()
                .info(new Info().title("invoice-hub API").version(VERSION).description(DESCRIPTION))
                .tags(tags())
                .components(new Components()
                        .addSecuritySchemes(BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("Ops and finance users (HTTP Basic); the local stack prints the ops "
                                        + "password and writes it to data/local-stack.json."))
                        .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("API key")
                                .description("`Authorization: Bearer <API key>`: a customer's key (`ihc_…`, its own "
                                        + "invoices), a partner's key (`ihp_…`, its webhook) or an ops/finance machine "
                                        + "key."))
                        .addSchemas(ERROR, errorSchema())
                        .responses(errorResponses()))
                // either scheme: two requirements are alternatives in OpenAPI
                .addSecurityItem(new SecurityRequirement().addList(BASIC))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY));
    }

    /**
     * The answers any API call may get, added to each operation that does not say otherwise: 401, 403 and 503 for
     * all; 400 where something is sent (a query, a path or a body); 404 where the path names something; 409 where
     * something changes.
     */
    @Bean
    OpenApiCustomizer errorAnswers() {
        return openApi -> openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
            boolean sendsSomething = op.getRequestBody() != null
                    || op.getParameters() != null && !op.getParameters().isEmpty();
            boolean namesSomething = path.contains("{");
            boolean changesSomething = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD;
            addIfAbsent(responses, "400", sendsSomething, "BadRequest");
            addIfAbsent(responses, "401", true, "Unauthorized");
            addIfAbsent(responses, "403", true, "Forbidden");
            addIfAbsent(responses, "404", namesSomething, "NotFound");
            addIfAbsent(responses, "409", changesSomething, "Conflict");
            addIfAbsent(responses, "503", true, "DatabaseUnavailable");
            op.setResponses(responses);
        }));
    }

    /**
     * The approval module's own controller (approval requests) does not name its tag yet: its operations are tagged by
     * path. Remove once it carries {@code @Tag(name = ApiTags.APPROVAL)}.
     */
    @Bean
    OpenApiCustomizer approvalRequestsTag() {
        return openApi -> openApi.getPaths().forEach((path, item) -> {
            if (path.endsWith("/approval-requests")) {
                item.readOperations().forEach(op -> op.setTags(List.of(ApiTags.APPROVAL)));
            }
        });
    }

    /** Examples of the main request bodies, by method and path. */
    @Bean
    OpenApiCustomizer requestExamples() {
        return openApi -> REQUEST_EXAMPLES.forEach((operation, examples) -> {
            String[] methodAndPath = operation.split(" ", 2);
            PathItem item = openApi.getPaths().get(methodAndPath[1]);
            Operation op = item == null ? null
                    : item.readOperationsMap().get(PathItem.HttpMethod.valueOf(methodAndPath[0]));
            if (op == null || op.getRequestBody() == null || op.getRequestBody().getContent() == null) {
                return;
            }
            MediaType json = op.getRequestBody().getContent().get("application/json");
            if (json != null) {
                examples.forEach((name, value) -> json.addExamples(name, new Example().summary(name).value(value)));
            }
        });
    }

    private static void addIfAbsent(ApiResponses responses, String status, boolean applies, String reusable) {
        if (applies && !responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().$ref("#/components/responses/" + reusable));
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema errorSchema() {
        Schema schema = new ObjectSchema()
                .description("Every error (CONTRACT §10). Some refusals add facts beside these three, e.g. "
                        + "`currency_in_use` lists the items and invoices that hold a currency change back.")
                .addProperty("error", new StringSchema().description("a stable code: validation_failed, "
                        + "malformed_json, unauthorized, forbidden, not_found, conflict, currency_in_use, "
                        + "in_progress, payload_too_large, database_unavailable, …").example("validation_failed"))
                .addProperty("message", new StringSchema().description("for a person")
                        .example("from: '2026-13-01' is not a date (yyyy-MM-dd, e.g. 2026-09-01) or a timestamp "
                                + "with offset (e.g. 2026-09-01T00:00:00Z or 2026-09-01T00:00:00+02:00)"))
                .addProperty("field", new StringSchema().description("the request field at fault, when one is")
                        .example("from"));
        schema.setRequired(List.of("error", "message"));
        schema.setAdditionalProperties(Boolean.TRUE);
        return schema;
    }

    private static Map<String, ApiResponse> errorResponses() {
        Map<String, ApiResponse> responses = new LinkedHashMap<>();
        responses.put("BadRequest", error("A value is refused; `field` names it.",
                "validation_failed", "invoiceDay: must be less than or equal to 28", "invoiceDay"));
        responses.put("Unauthorized", error("Missing or wrong credentials (answered with `WWW-Authenticate`).",
                "unauthorized", "missing or wrong credentials", null));
        responses.put("Forbidden", error("These credentials may not do this (e.g. a customer key on another "
                + "customer's invoice, finance changing something).", "forbidden",
                "these credentials may not do this", null));
        responses.put("NotFound", error("What the path names does not exist (or is not the caller's to see).",
                "not_found", "customer acme does not exist", null));
        responses.put("Conflict", error("The request contradicts the current state; it may succeed once that "
                + "changes.", "invoice_already_decided", "invoice 17 is APPROVED, not awaiting approval", null));
        ApiResponse unavailable = error("The hub's database cannot be reached right now; repeat after `Retry-After` "
                + "seconds.", "database_unavailable",
                "the hub's database cannot be reached right now; try again in 5 seconds", null);
        unavailable.addHeaderObject("Retry-After", new Header().description("seconds to wait")
                .schema(new IntegerSchema()));
        responses.put("DatabaseUnavailable", unavailable);
        return responses;
    }

    /** An error answer with the Error schema and one example (the partner webhook documents its own with it). */
    public static ApiResponse error(String description, String code, String message, String field) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("error", code);
        example.put("message", message);
        if (field != null) {
            example.put("field", field);
        }
        return new ApiResponse().description(description).content(new Content().addMediaType("application/json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR)).example(example)));
    }

    private static List<Tag> tags() {
        return List.of(
                tag(ApiTags.PARTNERS, "Partners that send line items, and their credentials (CONTRACT §3)."),
                tag(ApiTags.PARTNER_WEBHOOK, "How a partner sends line items over HTTP: signed by Standard Webhooks "
                        + "(CONTRACT §4). Served by a Camel route, one per partner that declares the channel."),
                tag(ApiTags.CUSTOMERS, "Customers: who pays, how they are invoiced and how invoices reach them "
                        + "(CONTRACT §3)."),
                tag(ApiTags.INGEST, "What arrived and what became of it: files, records, attempts, replays, dead "
                        + "letters, partners' route files, mapping dry runs (CONTRACT §5)."),
                tag(ApiTags.SCHEDULES, "Each customer's monthly invoice schedule; triggering a run (CONTRACT §6)."),
                tag(ApiTags.INVOICES, "Invoices, corrections, re-issues and downloads (CONTRACT §6)."),
                tag(ApiTags.APPROVAL, "Approving or denying an invoice, by API or by the emailed link's page "
                        + "(CONTRACT §6)."),
                tag(ApiTags.DELIVERY, "Approved invoices out by email, webhook, EDI and API; retries (CONTRACT §7)."),
                tag(ApiTags.REPORTS, "Match rate, outstanding spend and the reconciliation (CONTRACT §8). Windows "
                        + "take dates or timestamps."),
                tag(ApiTags.AUDIT, "Every change of state: who, when, what, before and after (CONTRACT §8)."),
                tag(ApiTags.MACHINE_KEYS, "Ops' API keys for scripts, issued and revoked by ops in person "
                        + "(CONTRACT §9)."));
    }

    private static Tag tag(String name, String description) {
        return new Tag().name(name).description(description);
    }

    private static final String DESCRIPTION = """
            Partners send expense line items by SFTP, S3, webhook or SQS; the hub records every one, invoices each \
            customer monthly, gets the invoice approved and delivers it. This document covers the HTTP API under \
            `/api/v1` and the partners' webhook.

            **Authentication.** Ops and finance use HTTP Basic (or an ops machine key); a customer uses its API key \
            (`Authorization: Bearer ihc_…`) on its own invoices; a partner uses its API key and a Standard Webhooks \
            signature on its webhook.

            **Errors** answer `{"error": "<code>", "message": "<for a person>", "field": "<when one field is at \
            fault>"}` (schema `Error`).

            **Times** are ISO-8601 with offset; dates `yyyy-MM-dd`. Report windows (`from`, `to`, `asOf`, and the \
            attempts look-up's `from`, `to`) take either a date, read in UTC or in `zone` (an IANA id), or a \
            timestamp with offset. A date as `from` is the start of that day, as `to` the whole day is included, \
            as `asOf` the end of that day. Remember to send a `+` in a query string as `%2B`.

            **Lists** answer `{"items": [...], "next": "<cursor or null>"}` and take `size` (default 50, at most \
            500) and `cursor`. Amounts are decimal strings beside their currency.
            """;

    private static final Map<String, Map<String, Object>> REQUEST_EXAMPLES = Map.of(
            "POST /api/v1/partners", Map.of("a university", Map.of("id", "asu-online", "name", "ASU Online",
                    "type", "UNIVERSITY", "contactEmail", "data@asu.example")),
            "POST /api/v1/customers", Map.of(
                    "every channel", customer(Map.of("email", true, "webhookUrl",
                            "https://hooks.acme.example/invoices", "edi", Map.of("host", "edi.acme.example",
                                    "port", 22, "user", "invoicehub", "password", "…", "folder", "/inbound",
                                    "senderId", "INVOICEHUB", "receiverId", "ACMECORP"))),
                    "delivery left out (email to the billing contacts)", customer(null)),
            "PUT /api/v1/customers/{id}", Map.of("invoice day changed, channels kept (delivery left out)",
                    customer(null)),
            "POST /api/v1/invoices/{id}/deny", Map.of("a reason", Map.of("reason",
                    "two tutoring sessions are billed twice")),
            "PUT /api/v1/schedules/{customerId}", Map.of("the 15th, Berlin time", Map.of("dayOfMonth", 15,
                    "timeZone", "Europe/Berlin", "enabled", true)),
            "POST /api/v1/machine-keys", Map.of("a finance script", Map.of("name", "month-end-report",
                    "role", "FINANCE")));

    private static Map<String, Object> customer(Map<String, Object> delivery) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", "acme");
        customer.put("name", "Acme Corp");
        customer.put("type", "CORPORATION");
        customer.put("currency", "USD");
        customer.put("timeZone", "America/New_York");
        customer.put("invoiceDay", 5);
        customer.put("approverEmails", List.of("cfo@acme.example"));
        customer.put("billingEmails", List.of("ap@acme.example"));
        if (delivery != null) {
            customer.put("delivery", delivery);
        }
        return customer;
    }
}
