package com.invoicehub.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Deliveries as ops and customers see them, each with its attempts, read in one round trip per page. */
@Component
public class Deliveries {

    /** Each delivery's attempts in the same query, so a page of deliveries is one round trip. */
    private static final String WITH_ATTEMPTS = """
            select d.*,
                   coalesce((select json_agg(json_build_object('at', a.at, 'result', a.result,
                                                               'httpStatus', a.http_status, 'error', a.error)
                                             order by a.id)
                             from delivery_attempts a where a.delivery_id = d.id), '[]')::text as attempts_json
            from deliveries d
            """;
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private final JdbcClient jdbc;

    Deliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Newest first, ids below {@code before}, at most {@code limit}; null filters match all. */
    public List<Delivery> page(DeliveryStatus status, DeliveryChannel.Kind channel, long before, int limit) {
        return jdbc.sql(WITH_ATTEMPTS + """
                        where (cast(:status as text) is null or status = :status)
                          and (cast(:channel as text) is null or channel = :channel) and id < :before
                        order by id desc limit :limit""")
                .param("status", status == null ? null : status.name())
                .param("channel", channel == null ? null : channel.name())
                .param("before", before).param("limit", limit)
                .query(Deliveries::delivery).list();
    }

    public long count(DeliveryStatus status) {
        return jdbc.sql("select count(*) from deliveries where status = :status").param("status", status.name())
                .query(Long.class).single();
    }

    public List<Delivery> ofInvoice(long invoiceId) {
        return jdbc.sql(WITH_ATTEMPTS + "where invoice_id = :id order by id").param("id", invoiceId)
                .query(Deliveries::delivery).list();
    }

    public Delivery get(long id) {
        return jdbc.sql(WITH_ATTEMPTS + "where id = :id").param("id", id).query(Deliveries::delivery).optional()
                .orElseThrow(() -> new DeliveryNotFound(id));
    }

    private static Delivery delivery(ResultSet rs, int row) throws SQLException {
        long id = rs.getLong("id");
        List<Delivery.Attempt> attempts;
        try {
            attempts = List.of(JSON.readValue(rs.getString("attempts_json"), Delivery.Attempt[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("attempts of delivery " + id + " unreadable", e);
        }
        return new Delivery(id, rs.getLong("invoice_id"), rs.getString("channel"),
                DeliveryStatus.valueOf(rs.getString("status")),
                rs.getString("message_id"), rs.getString("recipient"), rs.getInt("attempt_count"),
                rs.getObject("next_attempt_at", OffsetDateTime.class), rs.getString("last_error"), attempts,
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
    }
}
