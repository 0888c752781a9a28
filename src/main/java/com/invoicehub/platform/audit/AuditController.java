package com.invoicehub.platform.audit;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.platform.api.ApiException;
import com.invoicehub.platform.api.Page;

/** {@code GET /api/v1/audit?entity=&id=} (CONTRACT §8), newest first. */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    AuditController(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping
    Page<AuditEvent> events(@RequestParam(required = false) String entity,
                            @RequestParam(required = false) String id,
                            @RequestParam(required = false) Integer size,
                            @RequestParam(required = false) String cursor) {
        int limit = Page.size(size);
        long before = Page.beforeId(cursor);
        List<AuditEvent> events = jdbc.sql("""
                        select id, occurred_at, actor, action, entity_type, entity_id,
                               before_state::text as before_state, after_state::text as after_state
                        from audit_events
                        where (cast(:entity as text) is null or entity_type = :entity)
                          and (cast(:id as text) is null or entity_id = :id)
                          and id < :before
                        order by id desc
                        limit :limit
                        """)
                .param("entity", entity).param("id", id).param("before", before).param("limit", limit + 1)
                .query((rs, n) -> new AuditEvent(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class),
                        rs.getString("actor"), rs.getString("action"), rs.getString("entity_type"),
                        rs.getString("entity_id"), parse(rs.getString("before_state")),
                        parse(rs.getString("after_state"))))
                .list();
        return Page.of(events, limit, event -> Long.toString(event.id()));
    }

    private JsonNode parse(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
