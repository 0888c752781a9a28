package com.invoicehub.partners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.platform.sftp.PartnerSftpServer;
import com.invoicehub.security.Credentials;
import com.invoicehub.security.SecretCipher;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.SftpSession;
import com.invoicehub.support.TestData;

@HubIntegrationTest
class PartnerApiTest {

    @Autowired
    Api api;
    @Autowired
    PartnerSftpServer sftpServer;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SecretCipher cipher;

    @Test
    void createdPartnerGetsCredentialsOnceAndTheyAreNotReadableBack() {
        String id = TestData.id("uni");
        Api.Response created = api.asOps("POST", "/api/v1/partners", TestData.partnerJson(id));

        assertThat(created.status()).isEqualTo(201);
        String apiKey = created.json().get("apiKey").asText();
        String signingSecret = created.json().get("signingSecret").asText();
        assertThat(apiKey).startsWith("ihp_");
        assertThat(signingSecret).startsWith("whsec_");
        assertThat(created.json().get("sftpPassword").asText()).hasSizeGreaterThanOrEqualTo(20);

        Api.Response read = api.asOps("GET", "/api/v1/partners/" + id, null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("name").asText()).isEqualTo("Partner " + id);
        assertThat(read.body()).doesNotContain(apiKey).doesNotContain(signingSecret)
                .doesNotContain("apiKey").doesNotContain("signingSecret").doesNotContain("sftpPassword");
        assertThat(api.asOps("GET", "/api/v1/partners?size=500", null).body()).doesNotContain(apiKey);

        Map<String, Object> row = jdbc.sql("select * from partners where id = :id").param("id", id).query().singleRow();
        assertThat(row.get("api_key_hash")).isEqualTo(Credentials.hashApiKey(apiKey));
        assertThat(row.values().stream().map(String::valueOf)).noneMatch(v -> v.contains(apiKey)
                || v.contains(signingSecret.substring(6)));
        assertThat(cipher.decrypt((String) row.get("signing_secret_enc"))).isEqualTo(signingSecret);
    }

    @Test
    void partnerApiKeyAuthenticatesButOnlyForWhatIsItsOwn() {
        String id = TestData.id("uni");
        String apiKey = api.asOps("POST", "/api/v1/partners", TestData.partnerJson(id)).json().get("apiKey").asText();

        // Known key, but ops endpoints are not a partner's: 403. An unknown key: 401.
        assertThat(api.withAuthorization("GET", "/api/v1/partners/" + id, null, Api.bearer(apiKey)).status())
                .isEqualTo(403);
        assertThat(api.withAuthorization("GET", "/api/v1/partners/" + id, null, Api.bearer(apiKey + "x")).status())
                .isEqualTo(401);
    }

    @Test
    void invalidRequestsNameTheField() {
        Api.Response badId = api.asOps("POST", "/api/v1/partners", TestData.partnerJson("Bad_ID!"));
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().get("error").asText()).isEqualTo("validation_failed");
        assertThat(badId.json().get("field").asText()).isEqualTo("id");

        Api.Response missingName = api.asOps("POST", "/api/v1/partners",
                "{\"id\":\"" + TestData.id("uni") + "\",\"type\":\"UNIVERSITY\",\"contactEmail\":\"a@b.example\"}");
        assertThat(missingName.status()).isEqualTo(400);
        assertThat(missingName.json().get("field").asText()).isEqualTo("name");

        Api.Response badType = api.asOps("POST", "/api/v1/partners", TestData.partnerJson(TestData.id("uni"))
                .replace("UNIVERSITY", "SCHOOL"));
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().get("field").asText()).isEqualTo("type");

        Api.Response badEmail = api.asOps("POST", "/api/v1/partners", TestData.partnerJson(TestData.id("uni"))
                .replaceAll("ops@[^\"]+", "not-an-email"));
        assertThat(badEmail.json().get("field").asText()).isEqualTo("contactEmail");

        Api.Response malformed = api.asOps("POST", "/api/v1/partners", "{\"id\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).isEqualTo("malformed_json");
        assertThat(malformed.json().get("message").asText()).contains("line 1");
    }

    @Test
    void secondPartnerWithTheSameIdIsAConflictAndUnknownIsNotFound() {
        String id = TestData.id("uni");
        assertThat(api.asOps("POST", "/api/v1/partners", TestData.partnerJson(id)).status()).isEqualTo(201);
        Api.Response again = api.asOps("POST", "/api/v1/partners", TestData.partnerJson(id));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("field").asText()).isEqualTo("id");
        assertThat(api.asOps("GET", "/api/v1/partners/" + TestData.id("nobody"), null).status()).isEqualTo(404);
    }

    @Test
    void partnerLogsInToSftpJailedToItsOwnHome() throws Exception {
        String id = TestData.id("uni");
        String other = TestData.id("uni");
        String password = api.asOps("POST", "/api/v1/partners", TestData.partnerJson(id))
                .json().get("sftpPassword").asText();
        String otherPassword = api.asOps("POST", "/api/v1/partners", TestData.partnerJson(other))
                .json().get("sftpPassword").asText();

        try (SftpSession session = SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(), id,
                password)) {
            SftpClient sftp = session.sftp();
            assertThat(names(sftp, "/")).containsExactlyInAnyOrder("inbox", "processed", "failed", "outbox");
            try (OutputStream out = sftp.write("/inbox/october.csv")) {
                out.write("external_id\n".getBytes(StandardCharsets.UTF_8));
            }
            // Climbing out of the home stays in the home.
            assertThat(sftp.canonicalPath("/../..")).isEqualTo("/");
            assertThat(names(sftp, "/../..")).containsExactlyInAnyOrder("inbox", "processed", "failed", "outbox");
            assertThatThrownBy(() -> sftp.read("/../" + other + "/inbox/anything").read())
                    .isInstanceOf(java.io.IOException.class);
        }
        assertThat(Files.readString(sftpServer.root().resolve(id).resolve("inbox/october.csv")))
                .isEqualTo("external_id\n");

        try (SftpSession session = SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(), other,
                otherPassword)) {
            assertThat(names(session.sftp(), "/inbox")).isEmpty();
        }
        assertThatThrownBy(() -> SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(), id,
                otherPassword)).isInstanceOf(Exception.class);
    }

    @Test
    void partnerCanLogInWithItsPublicKeyAndRotationReplacesThePassword() throws Exception {
        KeyPair key = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        String id = TestData.id("uni");
        String body = TestData.partnerJson(id).trim();
        body = body.substring(0, body.length() - 1) + ",\"sftpPublicKey\":\"" + PublicKeyEntry.toString(key.getPublic())
                + "\"}";
        Api.Response created = api.asOps("POST", "/api/v1/partners", body);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("sftp").get("publicKeySet").asBoolean()).isTrue();

        try (SftpSession session = SftpSession.withKey(sftpServer.port(), sftpServer.hostKeyFingerprint(), id, key)) {
            assertThat(names(session.sftp(), "/")).contains("inbox");
        }

        String oldPassword = created.json().get("sftpPassword").asText();
        Api.Response rotated = api.asOps("POST", "/api/v1/partners/" + id + "/rotate-credentials", null);
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("apiKey").asText()).isNotEqualTo(created.json().get("apiKey").asText());
        assertThatThrownBy(() -> SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(), id,
                oldPassword)).isInstanceOf(Exception.class);
        try (SftpSession session = SftpSession.withPassword(sftpServer.port(), sftpServer.hostKeyFingerprint(), id,
                rotated.json().get("sftpPassword").asText())) {
            assertThat(names(session.sftp(), "/")).contains("outbox");
        }
        assertThat(api.withAuthorization("GET", "/api/v1/invoices", null,
                Api.bearer(created.json().get("apiKey").asText())).status()).isEqualTo(401);
    }

    @Test
    void everyChangeIsAudited() {
        String id = TestData.id("uni");
        api.asOps("POST", "/api/v1/partners", TestData.partnerJson(id));
        api.asOps("POST", "/api/v1/partners/" + id + "/rotate-credentials", null);

        Api.Response audit = api.asOps("GET", "/api/v1/audit?entity=partner&id=" + id, null);
        assertThat(audit.status()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        audit.json().get("items").forEach(event -> actions.add(event.get("action").asText()));
        assertThat(actions).containsExactly("partner.credentials-rotated", "partner.created");
        assertThat(audit.json().get("items").get(1).get("actor").asText()).isEqualTo("ops");
        assertThat(audit.json().get("items").get(1).get("after").get("id").asText()).isEqualTo(id);
        assertThat(audit.body()).doesNotContain("whsec_").doesNotContain("ihp_");
    }

    private static List<String> names(SftpClient sftp, String path) throws java.io.IOException {
        List<String> names = new ArrayList<>();
        for (SftpClient.DirEntry entry : sftp.readDir(path)) {
            if (!entry.getFilename().equals(".") && !entry.getFilename().equals("..")) {
                names.add(entry.getFilename());
            }
        }
        return names;
    }
}
