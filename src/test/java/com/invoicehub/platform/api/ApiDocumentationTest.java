package com.invoicehub.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;

/** The OpenAPI document as a new user reads it at /v3/api-docs (issue 15), fetched without credentials. */
@HubIntegrationTest
class ApiDocumentationTest {

    @Autowired
    Api api;

    private JsonNode docs;

    @BeforeEach
    void fetch() {
        Api.Response response = api.send("GET", "/v3/api-docs", null, null);
        assertThat(response.status()).isEqualTo(200);
        docs = response.json();
    }

    @Test
    void saysWhatTheApiIs() {
        assertThat(docs.at("/info/title").asText()).isEqualTo("invoice-hub API");
        assertThat(docs.at("/info/version").asText()).isEqualTo(ApiDocumentation.VERSION);
        assertThat(docs.at("/info/description").asText()).contains("Authentication", "Errors", "yyyy-MM-dd", "zone");
    }

    @Test
    void everyOperationHasAFeatureTagWithADescription() {
        Set<String> declared = new HashSet<>();
        docs.get("tags").forEach(tag -> {
            assertThat(tag.get("description").asText()).as(tag.toString()).isNotBlank();
            declared.add(tag.get("name").asText());
        });
        assertThat(declared).contains(ApiTags.PARTNERS, ApiTags.PARTNER_WEBHOOK, ApiTags.CUSTOMERS, ApiTags.INGEST,
                ApiTags.SCHEDULES, ApiTags.INVOICES, ApiTags.APPROVAL, ApiTags.DELIVERY, ApiTags.REPORTS,
                ApiTags.AUDIT, ApiTags.MACHINE_KEYS);
        List<String> used = new ArrayList<>();
        docs.get("paths").forEach(item -> item.forEach(operation -> operation.get("tags")
                .forEach(tag -> used.add(tag.asText()))));
        assertThat(used).isNotEmpty().allSatisfy(tag -> assertThat(declared).contains(tag));
        assertThat(docs.at("/paths/~1api~1v1~1invoices~1{id}~1approval-requests/get/tags/0").asText())
                .isEqualTo(ApiTags.APPROVAL);
        assertThat(docs.at("/paths/~1api~1v1~1invoices~1{id}~1approve/post/tags/0").asText())
                .isEqualTo(ApiTags.APPROVAL);
        assertThat(docs.at("/paths/~1api~1v1~1schedules/get/tags/0").asText()).isEqualTo(ApiTags.SCHEDULES);
        assertThat(docs.get("paths").has("/approvals/{token}")).as("the approval page is HTML, not API").isFalse();
    }

    @Test
    void basicAndBearerAreTheSecuritySchemesEitherWorking() {
        assertThat(docs.at("/components/securitySchemes/basicAuth/type").asText()).isEqualTo("http");
        assertThat(docs.at("/components/securitySchemes/basicAuth/scheme").asText()).isEqualTo("basic");
        assertThat(docs.at("/components/securitySchemes/apiKey/type").asText()).isEqualTo("http");
        assertThat(docs.at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
        assertThat(docs.get("security").toString()).isEqualTo("[{\"basicAuth\":[]},{\"apiKey\":[]}]");
    }

    @Test
    void theErrorShapeIsASchemaEveryOperationAnswersWith() {
        JsonNode error = docs.at("/components/schemas/Error");
        assertThat(error.get("properties").has("error")).isTrue();
        assertThat(error.get("properties").has("message")).isTrue();
        assertThat(error.get("properties").has("field")).isTrue();
        for (String status : List.of("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict",
                "DatabaseUnavailable")) {
            assertThat(docs.at("/components/responses/" + status + "/content/application~1json/schema/$ref").asText())
                    .as(status).isEqualTo("#/components/schemas/Error");
        }
        JsonNode putCustomer = docs.at("/paths/~1api~1v1~1customers~1{id}/put/responses");
        assertThat(putCustomer.at("/400/$ref").asText()).isEqualTo("#/components/responses/BadRequest");
        assertThat(putCustomer.at("/401/$ref").asText()).isEqualTo("#/components/responses/Unauthorized");
        assertThat(putCustomer.at("/403/$ref").asText()).isEqualTo("#/components/responses/Forbidden");
        assertThat(putCustomer.at("/404/$ref").asText()).isEqualTo("#/components/responses/NotFound");
        assertThat(putCustomer.at("/409/$ref").asText()).isEqualTo("#/components/responses/Conflict");
        assertThat(putCustomer.at("/503/$ref").asText()).isEqualTo("#/components/responses/DatabaseUnavailable");
    }

    @Test
    void theMainRequestBodiesHaveExamples() {
        JsonNode examples = docs.at("/paths/~1api~1v1~1customers/post/requestBody/content/application~1json/examples");
        assertThat(examples.at("/every channel/value/delivery/webhookUrl").asText())
                .isEqualTo("https://hooks.acme.example/invoices");
        assertThat(examples.at("/delivery left out (email to the billing contacts)/value").has("delivery")).isFalse();
        assertThat(docs.at("/paths/~1api~1v1~1partners/post/requestBody/content/application~1json/examples")
                .size()).isPositive();
    }

    @Test
    void reportWindowsTakeAZone() {
        List<String> parameters = new ArrayList<>();
        docs.at("/paths/~1api~1v1~1reports~1match-rate/get/parameters")
                .forEach(parameter -> parameters.add(parameter.get("name").asText()));
        assertThat(parameters).contains("from", "to", "zone", "partnerId");
    }

    @Test
    void thePartnerWebhookServedByCamelIsDocumented() {
        JsonNode webhook = docs.at("/paths/~1api~1v1~1partners~1{partnerId}~1line-items/post");
        assertThat(webhook.isMissingNode()).isFalse();
        assertThat(webhook.at("/tags/0").asText()).isEqualTo(ApiTags.PARTNER_WEBHOOK);
        List<String> headers = new ArrayList<>();
        webhook.get("parameters").forEach(parameter -> {
            if (parameter.get("in").asText().equals("header")) {
                assertThat(parameter.get("required").asBoolean()).isTrue();
                headers.add(parameter.get("name").asText());
            }
        });
        assertThat(headers).containsExactly("webhook-id", "webhook-timestamp", "webhook-signature");
        assertThat(webhook.get("security").toString()).isEqualTo("[{\"apiKey\":[]}]");
        JsonNode body = webhook.at("/requestBody/content/application~1json");
        assertThat(body.at("/schema/oneOf/0/$ref").asText()).isEqualTo("#/components/schemas/LineItem");
        assertThat(body.at("/schema/oneOf/1/items/$ref").asText()).isEqualTo("#/components/schemas/LineItem");
        assertThat(body.at("/examples/a batch/value")).hasSize(2);
        assertThat(webhook.get("responses").fieldNames()).toIterable()
                .contains("200", "400", "401", "403", "409", "413", "503");
        assertThat(webhook.at("/responses/401/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/Error");
        assertThat(docs.at("/components/schemas/LineItem/properties/amount/type").asText()).isEqualTo("string");
        assertThat(docs.at("/components/schemas/LineItem/properties/expenseType/enum").toString())
                .isEqualTo("[\"TUITION\",\"MATERIALS\",\"TUTORING\",\"FEES\"]");
    }
}
