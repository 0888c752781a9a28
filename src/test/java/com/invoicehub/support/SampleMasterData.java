package com.invoicehub.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sample month's partners and customers (samples/master-data.json), made once through the API for the whole
 * shared context. Partners' SFTP passwords are kept to log in as them.
 */
@Component
public class SampleMasterData {

    private final Api api;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> sftpPasswords = new HashMap<>();
    private final Map<String, JsonNode> credentials = new HashMap<>();

    SampleMasterData(Api api) {
        this.api = api;
    }

    public synchronized void ensure() {
        if (!sftpPasswords.isEmpty()) {
            return;
        }
        JsonNode data = read("master-data.json");
        for (JsonNode customer : data.get("customers")) {
            ObjectNode body = customer.deepCopy();
            body.putObject("delivery").put("email", true).putNull("webhookUrl").putNull("edi");
            Api.Response created = api.asOps("POST", "/api/v1/customers", body.toString());
            if (created.status() != 201 && created.status() != 409) {
                throw new IllegalStateException("cannot create customer: " + created.body());
            }
        }
        for (JsonNode partner : data.get("partners")) {
            ObjectNode body = partner.deepCopy();
            body.remove("mapping");
            Api.Response created = api.asOps("POST", "/api/v1/partners", body.toString());
            if (created.status() == 409) {
                created = api.asOps("POST", "/api/v1/partners/" + partner.get("id").asText()
                        + "/rotate-credentials", null);
            }
            credentials.put(partner.get("id").asText(), created.json());
            sftpPasswords.put(partner.get("id").asText(), created.json().get("sftpPassword").asText());
        }
    }

    public String sftpPassword(String partnerId) {
        ensure();
        return sftpPasswords.get(partnerId);
    }

    public JsonNode credentials(String partnerId) {
        ensure();
        return credentials.get(partnerId);
    }

    public static JsonNode read(String sample) {
        try (InputStream in = SampleMasterData.class.getResourceAsStream("/samples/" + sample)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(String sample) {
        try (InputStream in = SampleMasterData.class.getResourceAsStream("/samples/" + sample)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
