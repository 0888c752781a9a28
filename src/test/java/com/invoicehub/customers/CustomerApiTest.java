package com.invoicehub.customers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.security.Credentials;
import com.invoicehub.security.SecretCipher;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.TestData;

import com.fasterxml.jackson.databind.JsonNode;

@HubIntegrationTest
class CustomerApiTest {

    @Autowired
    Api api;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SecretCipher cipher;
    @Autowired
    IngestFixtures fixtures;

    @Test
    void createReadAndChangeACustomer() {
        String id = TestData.id("acme");
        Api.Response created = api.asOps("POST", "/api/v1/customers", TestData.customerJson(id));
        assertThat(created.status()).isEqualTo(201);
        String apiKey = created.json().get("apiKey").asText();
        String webhookSecret = created.json().get("webhookSecret").asText();
        assertThat(apiKey).startsWith("ihc_");
        assertThat(webhookSecret).startsWith("whsec_");
        assertThat(created.json().get("invoiceDay").asInt()).isEqualTo(5);
        assertThat(created.json().get("approverEmails").get(0).asText()).isEqualTo("approver@" + id + ".example");

        String changed = TestData.customerJson(id).replace("\"invoiceDay\":5", "\"invoiceDay\":28")
                .replace("\"edi\":null", """
                        "edi":{"host":"edi.example","port":22,"user":"acme","password":"s3cret-edi",
                               "folder":"/in","senderId":"INVOICEHUB","receiverId":"ACME"}""")
                .replace("\"webhookUrl\":null", "\"webhookUrl\":\"https://hooks.acme.example/invoices\"");
        Api.Response updated = api.asOps("PUT", "/api/v1/customers/" + id, changed);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("invoiceDay").asInt()).isEqualTo(28);
        assertThat(updated.json().get("delivery").get("edi").get("passwordSet").asBoolean()).isTrue();
        assertThat(updated.json().get("delivery").get("webhookUrl").asText())
                .isEqualTo("https://hooks.acme.example/invoices");
        assertThat(updated.body()).doesNotContain("s3cret-edi");

        Api.Response read = api.asOps("GET", "/api/v1/customers/" + id, null);
        assertThat(read.json().get("delivery").get("edi").get("receiverId").asText()).isEqualTo("ACME");
        assertThat(read.body()).doesNotContain(apiKey).doesNotContain(webhookSecret).doesNotContain("apiKey");

        Map<String, Object> row = jdbc.sql("select * from customers where id = :id").param("id", id).query()
                .singleRow();
        assertThat(row.get("api_key_hash")).isEqualTo(Credentials.hashApiKey(apiKey));
        assertThat(cipher.decrypt((String) row.get("webhook_secret_enc"))).isEqualTo(webhookSecret);
        assertThat(cipher.decrypt((String) row.get("edi_password_enc"))).isEqualTo("s3cret-edi");

        // The customer's own key is accepted (401 would mean unknown); ops endpoints are not its to use.
        assertThat(api.withAuthorization("GET", "/api/v1/customers/" + id, null, Api.bearer(apiKey)).status())
                .isEqualTo(403);

        Api.Response audit = api.asOps("GET", "/api/v1/audit?entity=customer&id=" + id, null);
        assertThat(audit.json().get("items").get(0).get("action").asText()).isEqualTo("customer.updated");
        assertThat(audit.json().get("items").get(0).get("before").get("invoiceDay").asInt()).isEqualTo(5);
        assertThat(audit.json().get("items").get(0).get("after").get("invoiceDay").asInt()).isEqualTo(28);
        assertThat(audit.body()).doesNotContain("s3cret-edi");
    }

    @Test
    void invalidCustomersAreRefusedNamingTheField() {
        String id = TestData.id("acme");
        assertField(TestData.customerJson(id).replace("\"currency\":\"USD\"", "\"currency\":\"XYZ\""), "currency");
        assertField(TestData.customerJson(id).replace("\"currency\":\"USD\"", "\"currency\":\"usd\""), "currency");
        assertField(TestData.customerJson(id).replace("America/New_York", "Mars/Olympus"), "timeZone");
        assertField(TestData.customerJson(id).replace("\"invoiceDay\":5", "\"invoiceDay\":29"), "invoiceDay");
        assertField(TestData.customerJson(id).replace("\"type\":\"CORPORATION\"", "\"type\":\"GOVERNMENT\""), "type");
        assertField(TestData.customerJson(id).replace("\"approverEmails\":[\"approver@" + id + ".example\"]",
                "\"approverEmails\":[]"), "approverEmails");
        assertField(TestData.customerJson(id).replace("\"billingEmails\":[\"billing@" + id + ".example\"]",
                "\"billingEmails\":[\"nope\"]"), "billingEmails[0]");
        assertField(TestData.customerJson(id).replace("\"webhookUrl\":null", "\"webhookUrl\":\"ftp://x\""),
                "delivery.webhookUrl");
        assertField(TestData.customerJson(id).replace("\"edi\":null", "\"edi\":{\"host\":\"h\",\"port\":22}"),
                "delivery.edi.folder");
        assertField(TestData.customerJson("x"), "id");
        assertThat(api.asOps("GET", "/api/v1/customers/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void theCurrencyCannotChangeWhileMoneyIsOwedInIt() {
        IngestFixtures.Fixture fixture = fixtures.fresh();
        String id = fixture.customerId();
        fixtures.apply(fixture, "C-1;emp-1;TUITION;100.50;2026-10-10", "C-2;emp-2;FEES;12.25;2026-10-11");
        List<Long> itemIds = jdbc.sql("select id from line_items where customer_id = :c order by id")
                .param("c", id).query(Long.class).list();
        String inYen = TestData.customerJson(id).replace("\"currency\":\"USD\"", "\"currency\":\"JPY\"");

        Api.Response unbilled = api.asOps("PUT", "/api/v1/customers/" + id, inYen);
        assertThat(unbilled.status()).as(unbilled.body()).isEqualTo(409);
        assertThat(unbilled.json().get("error").asText()).isEqualTo("currency_in_use");
        assertThat(unbilled.json().get("field").asText()).isEqualTo("currency");
        assertThat(unbilled.json().get("unbilledItems").get("count").asLong()).isEqualTo(2);
        assertThat(unbilled.json().get("unbilledItems").get("ids").toString())
                .isEqualTo(itemIds.toString().replace(" ", ""));
        assertThat(unbilled.json().get("message").asText()).contains("USD", "JPY", itemIds.get(0).toString());
        assertThat(api.asOps("GET", "/api/v1/customers/" + id, null).json().get("currency").asText())
                .isEqualTo("USD");

        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + id + "/trigger", null).json().get("invoiceId")
                .asLong();
        Api.Response undecided = api.asOps("PUT", "/api/v1/customers/" + id, inYen);
        assertThat(undecided.status()).as(undecided.body()).isEqualTo(409);
        assertThat(undecided.json().get("unbilledItems").get("count").asLong()).isZero();
        assertThat(undecided.json().get("undecidedInvoices").get("ids").get(0).asLong()).isEqualTo(invoiceId);

        // Other changes stay possible meanwhile; the currency itself once everything owed is decided.
        assertThat(api.asOps("PUT", "/api/v1/customers/" + id,
                TestData.customerJson(id).replace("\"invoiceDay\":5", "\"invoiceDay\":7")).status()).isEqualTo(200);
        assertThat(api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/approve", null).status()).isEqualTo(200);
        Api.Response changed = api.asOps("PUT", "/api/v1/customers/" + id, inYen);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("currency").asText()).isEqualTo("JPY");
        assertThat(api.asOps("GET", "/api/v1/invoices/" + invoiceId, null).json().get("currency").asText())
                .isEqualTo("USD");
        Api.Response nextRun = api.asOps("POST", "/api/v1/schedules/" + id + "/trigger", null);
        assertThat(nextRun.status()).as(nextRun.body()).isEqualTo(200);
    }

    @Test
    void deliveryLeftOutIsEmailToTheBillingContacts() {
        String id = TestData.id("acme");
        Api.Response created = api.asOps("POST", "/api/v1/customers", withoutDelivery(TestData.customerJson(id)));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("delivery").get("email").asBoolean()).isTrue();
        assertThat(created.json().get("delivery").get("webhookUrl").isNull()).isTrue();
        assertThat(created.json().get("delivery").get("edi").isNull()).isTrue();
    }

    @Test
    void deliveryLeftOutWithoutBillingContactsIsByApi() {
        IngestFixtures.Fixture fixture = fixtures.fresh((id, json) -> withoutDelivery(json)
                .replace("\"billingEmails\":[\"billing@" + id + ".example\"]", "\"billingEmails\":[]"));
        String id = fixture.customerId();
        JsonNode delivery = api.asOps("GET", "/api/v1/customers/" + id, null).json().get("delivery");
        assertThat(delivery.get("email").asBoolean()).isFalse();
        assertThat(delivery.get("webhookUrl").isNull()).isTrue();
        assertThat(delivery.get("edi").isNull()).isTrue();

        fixtures.apply(fixture, "D-1;emp-1;TUITION;100.50;2026-10-10");
        long invoiceId = api.asOps("POST", "/api/v1/schedules/" + id + "/trigger", null).json().get("invoiceId")
                .asLong();
        Api.Response approved = api.asOps("POST", "/api/v1/invoices/" + invoiceId + "/approve", null);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        JsonNode deliveries = api.asOps("GET", "/api/v1/invoices/" + invoiceId + "/deliveries", null).json()
                .get("items");
        assertThat(deliveries).hasSize(1);
        assertThat(deliveries.get(0).get("channel").asText()).isEqualTo("API");
    }

    @Test
    void anExplicitDeliveryIsKeptAndAPutWithoutOneKeepsTheChannels() {
        String id = TestData.id("acme");
        String byWebhookOnly = TestData.customerJson(id).replace("\"email\":true", "\"email\":false")
                .replace("\"webhookUrl\":null", "\"webhookUrl\":\"https://hooks.acme.example/invoices\"")
                .replace("\"edi\":null", """
                        "edi":{"host":"edi.example","port":22,"user":"acme","password":"s3cret-edi",
                               "folder":"/in","senderId":"INVOICEHUB","receiverId":"ACME"}""");
        Api.Response created = api.asOps("POST", "/api/v1/customers", byWebhookOnly);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("delivery").get("email").asBoolean()).isFalse();
        assertThat(created.json().get("delivery").get("webhookUrl").asText())
                .isEqualTo("https://hooks.acme.example/invoices");

        Api.Response updated = api.asOps("PUT", "/api/v1/customers/" + id,
                withoutDelivery(TestData.customerJson(id)).replace("\"invoiceDay\":5", "\"invoiceDay\":9"));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("invoiceDay").asInt()).isEqualTo(9);
        assertThat(updated.json().get("delivery").get("email").asBoolean()).isFalse();
        assertThat(updated.json().get("delivery").get("webhookUrl").asText())
                .isEqualTo("https://hooks.acme.example/invoices");
        assertThat(updated.json().get("delivery").get("edi").get("passwordSet").asBoolean()).isTrue();
        assertThat(cipher.decrypt(jdbc.sql("select edi_password_enc from customers where id = :id").param("id", id)
                .query(String.class).single())).isEqualTo("s3cret-edi");
    }

    /** The customer JSON of TestData with its delivery object taken out. */
    private static String withoutDelivery(String customerJson) {
        String stripped = customerJson
                .replace(",\n \"delivery\":{\"email\":true,\"webhookUrl\":null,\"edi\":null}", "");
        assertThat(stripped).doesNotContain("delivery");
        return stripped;
    }

    @Test
    void listsArePagedWithACursor() {
        for (int i = 0; i < 3; i++) {
            api.asOps("POST", "/api/v1/customers", TestData.customerJson(TestData.id("paged")));
        }
        Api.Response first = api.asOps("GET", "/api/v1/customers?size=2", null);
        assertThat(first.json().get("items")).hasSize(2);
        String cursor = first.json().get("next").asText();
        Api.Response second = api.asOps("GET", "/api/v1/customers?size=2&cursor=" + cursor, null);
        assertThat(second.json().get("items").get(0).get("id").asText())
                .isGreaterThan(first.json().get("items").get(1).get("id").asText());
        assertThat(api.asOps("GET", "/api/v1/customers?size=501", null).json().get("field").asText())
                .isEqualTo("size");
    }

    private void assertField(String body, String field) {
        Api.Response response = api.asOps("POST", "/api/v1/customers", body);
        assertThat(response.status()).as(body).isEqualTo(400);
        assertThat(response.json().get("field").asText()).as(response.body()).isEqualTo(field);
    }
}
