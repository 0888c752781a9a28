package com.invoicehub.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.TestData;

/** Ops' and finance's machine clients authenticate by API key (issue 13): made once by a person, revocable. */
@HubIntegrationTest
class MachineKeysTest {

    @Autowired
    Api api;
    @Autowired
    JdbcClient jdbc;

    @Test
    void anOpsKeyActsAsOpsAFinanceKeyOnlyReadsAndARevokedKeyNoLongerWorks() {
        String opsName = TestData.id("deploy-bot");
        Api.Response made = api.asOps("POST", "/api/v1/machine-keys",
                "{\"name\":\"" + opsName + "\",\"role\":\"OPS\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String opsKey = made.json().get("apiKey").asText();
        assertThat(opsKey).startsWith("ihm_");
        String financeName = TestData.id("reports-bot");
        String financeKey = api.asOps("POST", "/api/v1/machine-keys",
                "{\"name\":\"" + financeName + "\",\"role\":\"FINANCE\"}").json().get("apiKey").asText();

        // The ops key changes things (and the audit names it); the finance key reads and changes nothing.
        String partner = TestData.id("partner");
        Api.Response created = api.withAuthorization("POST", "/api/v1/partners", TestData.partnerJson(partner),
                Api.bearer(opsKey));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(jdbc.sql("select actor from audit_events where action = 'partner.created' and entity_id = :id")
                .param("id", partner).query(String.class).single()).isEqualTo("ops:" + opsName);
        assertThat(api.withAuthorization("GET", "/api/v1/partners/" + partner, null, Api.bearer(financeKey))
                .status()).isEqualTo(200);
        assertThat(api.withAuthorization("POST", "/api/v1/partners", TestData.partnerJson(TestData.id("p")),
                Api.bearer(financeKey)).status()).isEqualTo(403);
        assertThat(api.withAuthorization("GET", "/api/v1/machine-keys", null, Api.bearer(financeKey)).status())
                .isEqualTo(403);

        // A key cannot make keys, rotate a partner's credentials or reach Jolokia: what would outlive its
        // revocation stays with a person. The list never shows a key; a bad role or name says what is allowed.
        assertThat(api.withAuthorization("POST", "/api/v1/machine-keys", "{\"name\":\"x-" + opsName
                + "\",\"role\":\"OPS\"}", Api.bearer(opsKey)).status()).isEqualTo(403);
        assertThat(api.withAuthorization("GET", "/api/v1/machine-keys", null, Api.bearer(opsKey)).status())
                .isEqualTo(403);
        assertThat(api.withAuthorization("POST", "/api/v1/partners/" + partner + "/rotate-credentials", null,
                Api.bearer(opsKey)).status()).isEqualTo(403);
        assertThat(api.withAuthorization("GET", "/actuator/jolokia/version", null, Api.bearer(opsKey)).status())
                .isEqualTo(403);
        assertThat(api.asOps("POST", "/api/v1/partners/" + partner + "/rotate-credentials", null).status())
                .isEqualTo(200);
        Api.Response listed = api.asOps("GET", "/api/v1/machine-keys", null);
        assertThat(listed.body()).contains(opsName).doesNotContain(opsKey).doesNotContain("apiKey");
        Api.Response badRole = api.asOps("POST", "/api/v1/machine-keys", "{\"name\":\"n-" + opsName
                + "\",\"role\":\"ADMIN\"}");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().get("field").asText()).isEqualTo("role");
        assertThat(api.asOps("POST", "/api/v1/machine-keys", "{\"name\":\"" + opsName + "\",\"role\":\"OPS\"}")
                .status()).isEqualTo(409);

        assertThat(api.asOps("DELETE", "/api/v1/machine-keys/" + opsName, null).status()).isEqualTo(204);
        assertThat(api.withAuthorization("GET", "/api/v1/partners/" + partner, null, Api.bearer(opsKey)).status())
                .isEqualTo(401);
        JsonNode revoked = api.asOps("GET", "/api/v1/machine-keys", null).json();
        revoked.forEach(key -> {
            if (key.get("name").asText().equals(opsName)) {
                assertThat(key.get("revokedAt").isNull()).isFalse();
            }
        });
        assertThat(api.asOps("DELETE", "/api/v1/machine-keys/no-such-key", null).status()).isEqualTo(404);
    }
}
