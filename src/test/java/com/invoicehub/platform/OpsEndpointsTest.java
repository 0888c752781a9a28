package com.invoicehub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;

@HubIntegrationTest
class OpsEndpointsTest {

    @Autowired
    Api api;

    @Test
    void opsEndpointsRefuseWithoutCredentials() {
        for (String path : new String[] {"/api/v1/partners", "/api/v1/customers", "/api/v1/audit",
                "/actuator/prometheus", "/actuator/hawtio/", "/actuator/jolokia/version", "/actuator/camelroutes"}) {
            assertThat(api.send("GET", path, null, null).status()).as(path).isEqualTo(401);
            assertThat(api.send("GET", path, null, Api.basic("ops", "wrong")).status()).as(path).isEqualTo(401);
        }
    }

    @Test
    void healthIsOpenAndShowsCamelAndTheDatabaseToOps() {
        Api.Response open = api.send("GET", "/actuator/health", null, null);
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.json().get("status").asText()).isEqualTo("UP");
        assertThat(open.json().has("components")).isFalse();

        Api.Response detailed = api.asOps("GET", "/actuator/health", null);
        assertThat(detailed.json().get("components").get("db").get("details").get("database").asText())
                .isEqualTo("PostgreSQL");
        assertThat(detailed.json().get("components").get("camelHealth").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void readinessNeedsTheDatabaseAndTheQueuesAndLivenessOnlyTheHub() {
        assertThat(api.send("GET", "/actuator/health/liveness", null, null).json().get("status").asText())
                .isEqualTo("UP");
        Api.Response open = api.send("GET", "/actuator/health/readiness", null, null);
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.json().has("components")).isFalse();

        Api.Response detailed = api.asOps("GET", "/actuator/health/readiness", null);
        assertThat(detailed.json().get("components").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("readinessState", "db", "queues");
        assertThat(detailed.json().get("components").get("queues").get("details").get("deadLetterQueue")
                .get("url").asText()).endsWith("-dlq");
        assertThat(api.asOps("GET", "/actuator/health/liveness", null).json().get("components").fieldNames())
                .toIterable().containsExactly("livenessState");
    }

    @Test
    void prometheusShowsCamelRouteMetrics() {
        Api.Response metrics = api.asOps("GET", "/actuator/prometheus", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("camel_exchanges_total").contains("routeId=\"mail-outbound\"");
    }

    @Test
    void prometheusShowsTheDatabaseCheckAndTheMonthsReconciliationFigures() {
        assertThat(api.metric("hub_database_available")).hasValue(1.0);
        // Refreshed in the background (NaN until the first refresh, or while the clock a test moved makes them old):
        // here only that they are reported; FinanceReportsTest checks their values against the reconciliation.
        assertThat(api.metric("hub_ingest_receipts_stuck")).isPresent();
        for (String account : new String[] {"records", "items", "invoices", "receipts"}) {
            assertThat(api.metric("hub_reconciliation_unexplained", "account", account)).as(account).isPresent();
        }
    }

    @Test
    void hawtioConsoleAndJolokiaReadACamelRoute() {
        assertThat(api.asOps("GET", "/actuator/hawtio/", null).status()).isEqualTo(200);
        Api.Response read = api.asOps("GET", "/actuator/jolokia/read/"
                + "org.apache.camel:context=invoice-hub,type=routes,name=%22mail-outbound%22/State", null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("status").asInt()).isEqualTo(200);
        assertThat(read.json().get("value").asText()).isEqualTo("Started");
    }

    @Test
    void financeUserFromConfigurationMayUseTheApi() {
        assertThat(api.send("GET", "/api/v1/partners", null, Api.basic("finance", "test-finance-password")).status())
                .isEqualTo(200);
    }

    @Test
    void openApiDocumentDescribesTheMasterDataApi() {
        Api.Response docs = api.send("GET", "/v3/api-docs", null, null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("paths").has("/api/v1/partners")).isTrue();
        assertThat(docs.json().get("paths").has("/api/v1/customers/{id}")).isTrue();
        assertThat(api.send("GET", "/swagger-ui/index.html", null, null).status()).isEqualTo(200);
    }
}
