package com.invoicehub.ingest.channels;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.ingest.RouteHeaders;
import com.invoicehub.ingest.mapping.FileRefusedException;
import com.invoicehub.ingest.mapping.CanonicalJsonMapping;
import com.invoicehub.partners.PartnerRegistry;
import com.invoicehub.security.ApiKeyLookup;
import com.invoicehub.security.ApiPrincipal;
import com.invoicehub.security.Credentials;
import com.invoicehub.shared.StandardWebhooks;

/**
 * {@code POST /api/v1/partners/{partnerId}/line-items} (CONTRACT §4): the partner's API key, then its Standard
 * Webhooks signature over the raw body (±5 minutes); any failure answers 401 and stores nothing, another partner's key
 * 403. A webhook-id seen before is answered as the first time, without a new attempt. The answer lists every item's
 * outcome, once they are committed: calls arriving together are written together ({@link WebhookGroups}).
 */
@Component("partnerWebhook")
public class PartnerWebhook {

    /** What the route answers: an HTTP status, a JSON body and, for a call to repeat later, when (Retry-After). */
    public record Answer(int status, String json, Long retryAfter) {

        Answer(int status, String json) {
            this(status, json, null);
        }
    }

    private final List<ApiKeyLookup> apiKeys;
    private final PartnerRegistry partners;
    private final WebhookGroups groups;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final long maxBodyBytes;

    PartnerWebhook(List<ApiKeyLookup> apiKeys, PartnerRegistry partners, WebhookGroups groups,
                   ObjectMapper mapper, Clock clock,
                   @Value("${hub.webhook.max-body-bytes:5242880}") long maxBodyBytes) {
        this.apiKeys = apiKeys;
        this.partners = partners;
        this.groups = groups;
        this.mapper = mapper;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    public Answer receive(@Header(RouteHeaders.PARTNER_ID) String partnerId, @Header("Authorization") String authorization,
                          @Header("webhook-id") String webhookId, @Header("webhook-timestamp") String timestamp,
                          @Header("webhook-signature") String signature, @Header("Content-Length") Long length,
                          @Body byte[] body) {
        if (length != null && length > maxBodyBytes || body != null && body.length > maxBodyBytes) {
            return error(413, "payload_too_large", "the body is larger than " + maxBodyBytes + " bytes");
        }
        Optional<ApiPrincipal> caller = caller(authorization);
        if (caller.isEmpty()) {
            return error(401, "unauthorized", "missing or unknown API key");
        }
        if (caller.get().kind() != ApiPrincipal.Kind.PARTNER || !caller.get().id().equals(partnerId)) {
            return error(403, "forbidden", "this API key may not send line items for partner " + partnerId);
        }
        byte[] payload = body == null ? new byte[0] : body;
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp == null ? "" : timestamp.trim());
        } catch (NumberFormatException e) {
            return error(401, "unauthorized", "webhook-timestamp is missing or not unix seconds");
        }
        if (webhookId == null || webhookId.isBlank() || webhookId.length() > 200) {
            return error(401, "unauthorized", "webhook-id is missing");
        }
        if (!StandardWebhooks.timestampFresh(sentAt, clock.instant())) {
            return error(401, "unauthorized", "webhook-timestamp is more than 5 minutes from now");
        }
        if (!StandardWebhooks.signatureMatches(partners.signingSecret(partnerId), webhookId, sentAt, payload,
                signature)) {
            return error(401, "unauthorized", "webhook-signature does not match the body");
        }
        Optional<Answer> seen = groups.firstAnswer(partnerId, webhookId);
        if (seen.isPresent()) {
            return seen.get();
        }
        try {
            CanonicalJsonMapping.requireWellFormed(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
        } catch (FileRefusedException e) {
            return error(400, "malformed_json", e.getMessage());
        }
        return groups.write(partnerId, webhookId, payload);
    }

    private Optional<ApiPrincipal> caller(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String hash = Credentials.hashApiKey(authorization.substring(7).trim());
        return apiKeys.stream().map(lookup -> lookup.findByKeyHash(hash)).flatMap(Optional::stream).findFirst();
    }

    private Answer error(int status, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", code);
        error.put("message", message);
        return new Answer(status, json(error));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
