package com.invoicehub.customers;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.invoicehub.ledger.ExpenseType;
import com.invoicehub.shared.Money;

@Repository
class CustomerRepository {

    private static final String COLUMNS = """
            id, name, type, currency, time_zone, invoice_day, approver_emails, billing_emails, deliver_by_email,
            webhook_url, webhook_enabled, edi_host, edi_port, edi_user, edi_password_enc is not null as edi_password_set,
            edi_folder, edi_sender_id, edi_receiver_id, created_at, updated_at, policy_annual_cap_per_employee,
            policy_allowed_expense_types, policy_max_per_item""";

    private final JdbcClient jdbc;

    CustomerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean insert(CustomerRequest customer, Customer.Policies policies, String apiKeyHash, String webhookSecretEncrypted,
                   String ediPasswordEncrypted, Instant now) {
        return bind(jdbc.sql("""
                        insert into customers (id, name, type, currency, time_zone, invoice_day, approver_emails,
                               billing_emails, deliver_by_email, webhook_url, edi_host, edi_port, edi_user,
                               edi_password_enc, edi_folder, edi_sender_id, edi_receiver_id, api_key_hash,
                               webhook_secret_enc, created_at, updated_at, policy_annual_cap_per_employee,
                               policy_allowed_expense_types, policy_max_per_item)
                        values (:id, :name, :type, :currency, :timeZone, :invoiceDay, :approvers, :billing,
                                :byEmail, :webhookUrl, :ediHost, :ediPort, :ediUser, :ediPassword, :ediFolder,
                                :ediSender, :ediReceiver, :keyHash, :secret, :now, :now, :annualCap,
                                :allowedTypes, :maxPerItem)
                        on conflict (id) do nothing
                        """), customer.id(), customer, policies, ediPasswordEncrypted, now)
                .param("keyHash", apiKeyHash)
                .param("secret", webhookSecretEncrypted)
                .update() == 1;
    }

    /** Replaces the settings; a null EDI password keeps the stored one (unless EDI is removed). */
    boolean update(String id, CustomerRequest customer, Customer.Policies policies, String ediPasswordEncrypted,
                   Instant now) {
        return bind(jdbc.sql("""
                        update customers set name = :name, type = :type, currency = :currency,
                               time_zone = :timeZone, invoice_day = :invoiceDay, approver_emails = :approvers,
                               billing_emails = :billing, deliver_by_email = :byEmail,
                               webhook_enabled = case when webhook_url is distinct from :webhookUrl then true
                                                      else webhook_enabled end,
                               webhook_url = :webhookUrl, edi_host = :ediHost, edi_port = :ediPort,
                               edi_user = :ediUser,
                               edi_password_enc = case when cast(:ediHost as text) is null then null
                                                       else coalesce(:ediPassword, edi_password_enc) end,
                               edi_folder = :ediFolder, edi_sender_id = :ediSender, edi_receiver_id = :ediReceiver,
                               policy_annual_cap_per_employee = :annualCap,
                               policy_allowed_expense_types = :allowedTypes, policy_max_per_item = :maxPerItem,
                               updated_at = :now
                        where id = :id
                        """), id, customer, policies, ediPasswordEncrypted, now)
                .update() == 1;
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql, String id, CustomerRequest c,
                                                 Customer.Policies policies, String ediPasswordEncrypted,
                                                 Instant now) {
        CustomerRequest.Edi edi = c.delivery().edi();
        String webhookUrl = c.delivery().webhookUrl() == null || c.delivery().webhookUrl().isBlank()
                ? null : c.delivery().webhookUrl();
        return sql.param("id", id).param("name", c.name()).param("type", c.type().name())
                .param("currency", c.currency()).param("timeZone", c.timeZone())
                .param("invoiceDay", c.invoiceDay())
                .param("approvers", c.approverEmails().toArray(String[]::new))
                .param("billing", c.billingEmails().toArray(String[]::new))
                .param("byEmail", c.delivery().email())
                .param("webhookUrl", webhookUrl)
                .param("ediHost", edi == null ? null : edi.host())
                .param("ediPort", edi == null ? null : edi.port())
                .param("ediUser", edi == null ? null : edi.user())
                .param("ediPassword", ediPasswordEncrypted)
                .param("ediFolder", edi == null ? null : edi.folder())
                .param("ediSender", edi == null ? null : edi.senderId())
                .param("ediReceiver", edi == null ? null : edi.receiverId())
                .param("now", Timestamp.from(now))
                .param("annualCap", policies.annualCapPerEmployee() == null ? null
                        : policies.annualCapPerEmployee().amount())
                .param("allowedTypes", policies.allowedExpenseTypes() == null ? null
                        : policies.allowedExpenseTypes().stream().map(Enum::name).toArray(String[]::new))
                .param("maxPerItem", policies.maxPerItem() == null ? null : policies.maxPerItem().amount());
    }

    /** What the customer owes or may owe in its current currency. */
    record MoneyInFlight(long unbilledItems, List<Long> unbilledItemIds, long undecidedInvoices,
                         List<Long> undecidedInvoiceIds) {
    }

    /** The invoice run's lock for this customer (see InvoiceRun), then the customer's row. */
    void lockForCurrencyChange(String id) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('invoice-run'), hashtext(:customer))")
                .param("customer", id).query(Object.class).single();
        jdbc.sql("select id from customers where id = :id for update").param("id", id).query(String.class).optional();
    }

    /**
     * In one statement (one snapshot): the customer's unbilled items, and its invoices awaiting approval or denied
     * and not yet re-issued (a re-issue keeps the denied invoice's currency); counts and the first {@code listed} ids.
     */
    MoneyInFlight moneyInFlight(String id, int listed) {
        return jdbc.sql("""
                        with items as (select id from line_items where customer_id = :id and invoice_id is null),
                        undecided as (select i.id from invoices i where i.customer_id = :id
                                        and (i.status = 'AWAITING_APPROVAL'
                                             or (i.status = 'DENIED' and not exists (
                                                 select 1 from invoices n where n.previous_invoice_id = i.id))))
                        select (select count(*) from items) as items,
                               array(select id from items order by id limit :limit) as item_ids,
                               (select count(*) from undecided) as invoices,
                               array(select id from undecided order by id limit :limit) as invoice_ids""")
                .param("id", id).param("limit", listed)
                .query((rs, row) -> new MoneyInFlight(rs.getLong("items"), ids(rs.getArray("item_ids")),
                        rs.getLong("invoices"), ids(rs.getArray("invoice_ids"))))
                .single();
    }

    private static List<Long> ids(java.sql.Array array) throws java.sql.SQLException {
        return List.of((Long[]) array.getArray());
    }

    Optional<Customer> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from customers where id = :id")
                .param("id", id).query(CustomerRepository::customer).optional();
    }

    List<Customer> page(String afterId, int limit) {
        return jdbc.sql("select " + COLUMNS + " from customers where (cast(:after as text) is null or id > :after) "
                        + "order by id limit :limit")
                .param("after", afterId).param("limit", limit)
                .query(CustomerRepository::customer).list();
    }

    Map<String, Currency> currencies() {
        Map<String, Currency> currencies = new HashMap<>();
        jdbc.sql("select id, currency from customers").query(rs -> {
            currencies.put(rs.getString(1), Currency.getInstance(rs.getString(2).trim()));
        });
        return currencies;
    }

    Optional<String> idByApiKeyHash(String hash) {
        return jdbc.sql("select id from customers where api_key_hash = :hash")
                .param("hash", hash).query(String.class).optional();
    }

    Optional<String> webhookSecretEncrypted(String id) {
        return jdbc.sql("select webhook_secret_enc from customers where id = :id")
                .param("id", id).query(String.class).optional();
    }

    private static Customer customer(ResultSet rs, int row) throws SQLException {
        String ediHost = rs.getString("edi_host");
        Customer.Edi edi = ediHost == null ? null : new Customer.Edi(ediHost, rs.getInt("edi_port"),
                rs.getString("edi_user"), rs.getBoolean("edi_password_set"), rs.getString("edi_folder"),
                rs.getString("edi_sender_id"), rs.getString("edi_receiver_id"));
        return new Customer(rs.getString("id"), rs.getString("name"), CustomerType.valueOf(rs.getString("type")),
                rs.getString("currency").trim(), rs.getString("time_zone"), rs.getInt("invoice_day"),
                strings(rs.getArray("approver_emails")), strings(rs.getArray("billing_emails")),
                new Customer.Delivery(rs.getBoolean("deliver_by_email"), rs.getString("webhook_url"),
                        rs.getBoolean("webhook_enabled"), edi),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
                policies(rs, Currency.getInstance(rs.getString("currency").trim())));
    }

    private static Customer.Policies policies(ResultSet rs, Currency currency) throws SQLException {
        BigDecimal cap = rs.getBigDecimal("policy_annual_cap_per_employee");
        Array types = rs.getArray("policy_allowed_expense_types");
        BigDecimal maxPerItem = rs.getBigDecimal("policy_max_per_item");
        return new Customer.Policies(cap == null ? null : new Money(cap, currency),
                types == null ? null : strings(types).stream().map(ExpenseType::valueOf).toList(),
                maxPerItem == null ? null : new Money(maxPerItem, currency));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
