package com.invoicehub.ingest.channels;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.mapping.ReasonCode;
import com.invoicehub.ledger.ExpenseType;
import com.invoicehub.platform.api.ApiDocumentation;
import com.invoicehub.platform.api.ApiTags;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;

/**
 * The partner webhook in the OpenAPI document. Camel's platform-http serves it (routes/templates/
 * partner-webhook-source.yaml), so springdoc cannot see it: this says by hand what {@link PartnerWebhook} checks and
 * what it and {@link WebhookGroups} answer, and lives beside them so it changes with them.
 */
@Component
class PartnerWebhookApiDocumentation implements OpenApiCustomizer {

    static final String PATH = "/api/v1/partners/{partnerId}/line-items";

    private final long maxBodyBytes;

    PartnerWebhookApiDocumentation(@Value("${hub.webhook.max-body-bytes:5242880}") long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.getComponents().addSchemas("LineItem", lineItem());
        openApi.getComponents().addSchemas("WebhookAnswer", answer());
        Operation receive = new Operation()
                .operationId("sendLineItems")
                .addTagsItem(ApiTags.PARTNER_WEBHOOK)
                .summary("Send line items (a partner's webhook)")
                .description("""
                        A canonical JSON line item or an array of them (CONTRACT §4), for this partner only. Every \
                        call carries the partner's API key **and** a Standard Webhooks signature \
                        (https://www.standardwebhooks.com): `webhook-signature: v1,<base64 HMAC-SHA256>` over \
                        `{webhook-id}.{webhook-timestamp}.{body}` with the partner's signing secret (`whsec_…`, the \
                        part after the prefix is the base64 key). Several signatures may be sent, space-separated; \
                        one must match. A missing or wrong key, signature or timestamp (more than 5 minutes off) \
                        answers 401 and stores nothing.

                        A `webhook-id` seen before is answered as the first time it was seen, without a new attempt \
                        (retry with the same id safely). The answer lists each item's outcome once it is committed. \
                        The route exists only for partners whose route file declares the webhook channel; for \
                        others the path answers 404.
                        """)
                .addParametersItem(new PathParameter().name("partnerId").required(true)
                        .description("the partner's id").schema(new StringSchema().example("coursera-for-teams")))
                .addParametersItem(header("webhook-id", "unique per message; a retry repeats it (at most 200 "
                        + "characters)", new StringSchema().maxLength(200).example("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")))
                .addParametersItem(header("webhook-timestamp", "when the message was signed, unix seconds "
                        + "(within 5 minutes of the hub's clock)", new IntegerSchema().format("int64")
                        .example(1793260800L)))
                .addParametersItem(header("webhook-signature", "`v1,<base64 HMAC-SHA256>`, space-separated when "
                        + "several", new StringSchema().example("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")))
                .requestBody(body())
                .responses(responses())
                // the partner's own key only: a Basic login or another kind of key is not a partner
                .security(List.of(new SecurityRequirement().addList(ApiDocumentation.API_KEY)));
        openApi.path(PATH, new PathItem().post(receive));
    }

    private static HeaderParameter header(String name, String description, Schema<?> schema) {
        HeaderParameter header = new HeaderParameter();
        header.name(name).required(true).description(description).schema(schema);
        return header;
    }

    private RequestBody body() {
        Schema<?> oneOrMany = new ComposedSchema()
                .addOneOfItem(new Schema<>().$ref("#/components/schemas/LineItem"))
                .addOneOfItem(new ArraySchema().items(new Schema<>().$ref("#/components/schemas/LineItem")));
        MediaType json = new MediaType().schema(oneOrMany)
                .addExamples("one item", new Example().value(item("ASU-2026-10-000017", "1250.00")))
                .addExamples("a batch", new Example().value(List.of(item("ASU-2026-10-000017", "1250.00"),
                        item("ASU-2026-10-000018", "-75.00"))));
        return new RequestBody().required(true).content(new Content().addMediaType("application/json", json))
                .description("at most " + maxBodyBytes + " bytes (HUB_WEBHOOK_MAX_BODY_BYTES)");
    }

    private static ApiResponses responses() {
        Header retryAfter = new Header().description("seconds to wait before sending the same call again")
                .schema(new IntegerSchema());
        Map<String, Object> answered = new LinkedHashMap<>();
        answered.put("webhookId", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
        answered.put("fileId", 4);
        answered.put("items", List.of(outcome("ASU-2026-10-000017", "APPLIED", null, null),
                outcome("ASU-2026-10-000018", "REJECTED", "UNKNOWN_CUSTOMER",
                        "customer umbrella is not known to the hub")));
        ApiResponses responses = new ApiResponses()
                .addApiResponse("200", new ApiResponse().description("Every item's outcome (a repeated webhook-id: "
                        + "the first answer again).").content(new Content().addMediaType("application/json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/WebhookAnswer"))
                                .example(answered))))
                .addApiResponse("400", ApiDocumentation.error("The body is not JSON, or neither an item nor an "
                        + "array.", "malformed_json", "the body must be a JSON line item or an array of them", null))
                .addApiResponse("401", ApiDocumentation.error("Missing or unknown API key, or a missing, stale or "
                        + "wrong signature. Nothing is stored.", "unauthorized",
                        "webhook-signature does not match the body", null))
                .addApiResponse("403", ApiDocumentation.error("The key is another partner's (or not a partner's).",
                        "forbidden", "this API key may not send line items for partner coursera-for-teams", null))
                .addApiResponse("404", ApiDocumentation.error("The partner does not take line items by webhook.",
                        "not_found", "No static resource api/v1/partners/coursera-for-teams/line-items.", null));
        ApiResponse busy = ApiDocumentation.error("The same webhook-id is being written right now; send it again "
                + "after Retry-After.", "in_progress", "webhook msg_… is being processed; retry in 2 s", null);
        busy.addHeaderObject("Retry-After", retryAfter);
        ApiResponse unavailable = ApiDocumentation.error("The hub cannot take the call now: `unavailable` (too many "
                + "calls waiting, or stopping), `starting` (the node has not loaded the partner routes yet) or "
                + "`database_unavailable`; send it again after Retry-After.", "unavailable",
                "the hub is stopping; retry in a moment", null);
        unavailable.addHeaderObject("Retry-After", retryAfter);
        return responses.addApiResponse("409", busy)
                .addApiResponse("413", ApiDocumentation.error("The body is over the size limit.",
                        "payload_too_large", "the body is larger than 5242880 bytes", null))
                .addApiResponse("503", unavailable);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema lineItem() {
        Schema schema = new ObjectSchema()
                .description("The canonical JSON line item (CONTRACT §4). A row the rules refuse is answered "
                        + "REJECTED with its reason; the other items of the call are judged on their own.")
                .addProperty("externalId", new StringSchema().description("the partner's id of the item: with "
                        + "the partner, its source key").example("ASU-2026-10-000017"))
                .addProperty("customerId", new StringSchema().example("acme"))
                .addProperty("customerUserId", new StringSchema().example("emp-1042"))
                .addProperty("userName", new StringSchema().example("Ada Lovelace"))
                .addProperty("expenseType", new StringSchema()._enum(names(ExpenseType.values())))
                .addProperty("amount", new StringSchema().description("a decimal string with at most the "
                        + "currency's minor digits; negative is a refund; never a JSON number").example("1250.00"))
                .addProperty("currency", new StringSchema().description("ISO 4217, the customer's currency")
                        .example("USD"))
                .addProperty("serviceDate", new StringSchema().format("date").example("2026-10-14"))
                .addProperty("description", new StringSchema().example("MATH 101"));
        schema.setRequired(List.of("externalId", "customerId", "customerUserId", "expenseType", "amount",
                "currency", "serviceDate"));
        return schema;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema answer() {
        Schema item = new ObjectSchema()
                .addProperty("externalId", new StringSchema())
                .addProperty("outcome", new StringSchema()._enum(names(Outcome.values())))
                .addProperty("reason", new StringSchema().description("for REJECTED")
                        ._enum(names(ReasonCode.values())))
                .addProperty("message", new StringSchema().description("for a person"));
        return new ObjectSchema()
                .addProperty("webhookId", new StringSchema())
                .addProperty("fileId", new IntegerSchema().format("int64")
                        .description("the receipt the call was written in (GET /api/v1/ingest/files/{id})"))
                .addProperty("items", new ArraySchema().items(item));
    }

    private static Map<String, Object> item(String externalId, String amount) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("externalId", externalId);
        item.put("customerId", "acme");
        item.put("customerUserId", "emp-1042");
        item.put("userName", "Ada Lovelace");
        item.put("expenseType", "TUITION");
        item.put("amount", amount);
        item.put("currency", "USD");
        item.put("serviceDate", "2026-10-14");
        item.put("description", "MATH 101");
        return item;
    }

    private static Map<String, Object> outcome(String externalId, String outcome, String reason, String message) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("externalId", externalId);
        item.put("outcome", outcome);
        item.put("reason", reason);
        item.put("message", message);
        return item;
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
