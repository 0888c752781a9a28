package com.invoicehub.platform.audit;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

public record AuditEvent(long id, OffsetDateTime at, String actor, String action, String entity, String entityId,
                         JsonNode before, JsonNode after) {
}
