package com.invoicehub.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.MutableClock;

/**
 * The run bills one fixed set of items. Items "committed between its reads" are planted deterministically by
 * test-only triggers on tables the run writes, fired only for this test's customer and dropped afterwards.
 */
@HubIntegrationTest
class InvoiceRunClaimTest {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    Schedules schedules;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void itemsArrivingDuringTheRunAreBilledWholeOrLeftForTheNextRun() {
        Fixture fixture = fixtures.fresh(); // invoice day 5, USD
        clock.set(Instant.parse("2026-11-06T12:00:00Z"));
        fixtures.apply(fixture,
                "A-1;emp-1;TUITION;100.00;2026-10-14",
                "A-2;emp-1;TUITION;50.00;2026-10-20");
        String suffix = fixture.customerId().replaceAll("[^A-Za-z0-9]", "_");
        String customer = fixture.customerId().replace("'", "''");
        // One item arrives as the invoice row is written, another as its lines are written.
        jdbc.sql("""
                create function test_late_item_%1$s() returns trigger language plpgsql as $$
                begin
                  if (select customer_id from invoices where id = new.%2$s) = '%3$s' then
                    insert into line_items (partner_id, external_id, customer_id, customer_user_id, user_name,
                                            expense_type, amount, currency, service_date, content_hash,
                                            source_record_id, applied_at)
                    values ('%4$s', 'LATE-' || tg_table_name, '%3$s', 'emp-1', 'Name emp-1', 'TUITION',
                            case when tg_table_name = 'invoices' then 18.00 else 13.00 end, 'USD',
                            date '2026-10-25', repeat('0', 64), 0, now())
                    on conflict do nothing;
                  end if;
                  return null;
                end $$""".formatted(suffix, "id", customer, fixture.partnerId())).update();
        jdbc.sql("""
                create function test_late_item_line_%1$s() returns trigger language plpgsql as $$
                begin
                  if (select customer_id from invoices where id = new.invoice_id) = '%2$s' then
                    insert into line_items (partner_id, external_id, customer_id, customer_user_id, user_name,
                                            expense_type, amount, currency, service_date, content_hash,
                                            source_record_id, applied_at)
                    values ('%3$s', 'LATE-lines', '%2$s', 'emp-1', 'Name emp-1', 'TUITION', 13.00, 'USD',
                            date '2026-10-25', repeat('0', 64), 0, now())
                    on conflict do nothing;
                  end if;
                  return null;
                end $$""".formatted(suffix, customer, fixture.partnerId())).update();
        jdbc.sql("create trigger test_late_item_%1$s after insert on invoices for each row execute function "
                .formatted(suffix) + "test_late_item_%1$s()".formatted(suffix)).update();
        jdbc.sql("create trigger test_late_item_%1$s after insert on invoice_lines for each row execute function "
                .formatted(suffix) + "test_late_item_line_%1$s()".formatted(suffix)).update();
        InvoiceRun.Result result;
        try {
            result = schedules.trigger(fixture.customerId());
        } finally {
            jdbc.sql("drop trigger test_late_item_%1$s on invoices".formatted(suffix)).update();
            jdbc.sql("drop trigger test_late_item_%1$s on invoice_lines".formatted(suffix)).update();
            jdbc.sql("drop function test_late_item_%1$s()".formatted(suffix)).update();
            jdbc.sql("drop function test_late_item_line_%1$s()".formatted(suffix)).update();
        }
        assertThat(result.created()).isTrue();
        long invoiceId = result.invoiceId();
        assertAddsUp(invoiceId);
        // Whatever landed on the invoice is in its total and in a line; what did not waits, unbilled.
        Long lineItemInvoice = jdbc.sql("select invoice_id from line_items where partner_id = :p "
                        + "and external_id = 'LATE-lines'")
                .param("p", fixture.partnerId()).query(Long.class).optional().orElse(null);
        assertThat(lineItemInvoice).isNull();
        BigDecimal total = jdbc.sql("select total from invoices where id = :id").param("id", invoiceId)
                .query(BigDecimal.class).single();
        BigDecimal billed = jdbc.sql("select coalesce(sum(amount), 0) from line_items where invoice_id = :id")
                .param("id", invoiceId).query(BigDecimal.class).single();
        assertThat(total).isEqualByComparingTo(billed);
        assertThat(total).isIn(new BigDecimal("150.0000"), new BigDecimal("168.0000"));
    }

    @Test
    void aRunWhoseInvoiceDoesNotAddUpFailsAndCommitsNothing() {
        Fixture fixture = fixtures.fresh();
        clock.set(Instant.parse("2026-11-06T12:00:00Z"));
        fixtures.apply(fixture, "B-1;emp-1;TUITION;100.00;2026-10-14", "B-2;emp-2;FEES;20.00;2026-10-15");
        String suffix = fixture.customerId().replaceAll("[^A-Za-z0-9]", "_");
        String customer = fixture.customerId().replace("'", "''");
        // A fault between building the lines and committing: one line's total drifts from its items.
        jdbc.sql("""
                create function test_drift_%1$s() returns trigger language plpgsql as $$
                begin
                  if (select customer_id from invoices where id = new.invoice_id) = '%2$s' then
                    update invoice_lines set total = total + 1 where id = new.invoice_line_id;
                  end if;
                  return null;
                end $$""".formatted(suffix, customer)).update();
        jdbc.sql("create trigger test_drift_%1$s after insert on invoice_line_items for each row execute function "
                .formatted(suffix) + "test_drift_%1$s()".formatted(suffix)).update();
        try {
            assertThatThrownBy(() -> schedules.trigger(fixture.customerId()))
                    .isInstanceOf(InvoiceDoesNotAddUp.class).hasMessageContaining("sum of lines");
        } finally {
            jdbc.sql("drop trigger test_drift_%1$s on invoice_line_items".formatted(suffix)).update();
            jdbc.sql("drop function test_drift_%1$s()".formatted(suffix)).update();
        }
        assertThat(jdbc.sql("select count(*) from invoices where customer_id = :c").param("c", fixture.customerId())
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from line_items where customer_id = :c and invoice_id is null")
                .param("c", fixture.customerId()).query(Long.class).single()).isEqualTo(2);
        // Without the fault the same items are billed.
        assertAddsUp(schedules.trigger(fixture.customerId()).invoiceId());
    }

    private void assertAddsUp(long invoiceId) {
        Map<String, Object> sums = jdbc.sql("""
                        select i.total,
                               (select sum(total) from invoice_lines where invoice_id = i.id) as lines_total,
                               (select sum(item_count) from invoice_lines where invoice_id = i.id) as lines_count,
                               (select sum(amount) from line_items where invoice_id = i.id) as items_total,
                               (select count(*) from line_items where invoice_id = i.id) as items_count,
                               (select count(*) from line_items li where li.invoice_id = i.id and not exists (
                                   select 1 from invoice_line_items x join invoice_lines l on l.id = x.invoice_line_id
                                   where x.invoice_id = i.id and x.line_item_id = li.id
                                     and l.invoice_id = i.id)) as in_no_line
                        from invoices i where i.id = :id""")
                .param("id", invoiceId).query().singleRow();
        assertThat((BigDecimal) sums.get("lines_total")).isEqualByComparingTo((BigDecimal) sums.get("total"));
        assertThat((BigDecimal) sums.get("items_total")).isEqualByComparingTo((BigDecimal) sums.get("total"));
        assertThat(((Number) sums.get("lines_count")).longValue())
                .isEqualTo(((Number) sums.get("items_count")).longValue());
        assertThat(((Number) sums.get("in_no_line")).longValue()).isZero();
    }
}
