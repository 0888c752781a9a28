package com.invoicehub.platform.audit;

import java.sql.Timestamp;
import java.time.Clock;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes an audit event (who, when, what, before and after) in the caller's transaction, so a change and its
 * audit event commit together. Pass public views only: never a secret.
 */
@Component
public class AuditLog {

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public void record(String action, String entityType, String entityId, Object before, Object after) {
        jdbc.sql("""
                        insert into audit_events (occurred_at, actor, action, entity_type, entity_id, before_state,
                                                  after_state)
                        values (:at, :actor, :action, :entityType, :entityId, cast(:before as jsonb),
                                cast(:after as jsonb))
                        """)
                .param("at", Timestamp.from(clock.instant()))
                .param("actor", currentActor())
                .param("action", action)
                .param("entityType", entityType)
                .param("entityId", entityId)
                .param("before", toJson(before))
                .param("after", toJson(after))
                .update();
    }

    /**
     * Events newest first, ids below {@code before}, at most {@code limit}; a null entity type or id matches all.
     */
    public java.util.List<AuditEvent> events(String entityType, String entityId, long before, int limit) {
        return jdbc.sql("""
                        select id, occurred_at, actor, action, entity_type, entity_id,
                               before_state::text as before_state, after_state::text as after_state
                        from audit_events
                        where (cast(:entity as text) is null or entity_type = :entity)
                          and (cast(:id as text) is null or entity_id = :id)
                          and id < :before
                        order by id desc
                        limit :limit
                        """)
                .param("entity", entityType).param("id", entityId).param("before", before).param("limit", limit)
                .query((rs, n) -> new AuditEvent(rs.getLong("id"),
                        rs.getObject("occurred_at", java.time.OffsetDateTime.class), rs.getString("actor"),
                        rs.getString("action"), rs.getString("entity_type"), rs.getString("entity_id"),
                        parse(rs.getString("before_state")), parse(rs.getString("after_state"))))
                .list();
    }

    private com.fasterxml.jackson.databind.JsonNode parse(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ops user's name, {@code partner:<id>} / {@code customer:<id>} for API keys, else {@code system}. */
    public static String currentActor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            return "system";
        }
        return authentication.getName(); // an API key's principal names itself, e.g. partner:<id>
    }

    private String toJson(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit state is not serialisable", e);
        }
    }
}
