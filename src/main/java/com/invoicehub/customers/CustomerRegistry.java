package com.invoicehub.customers;

import java.time.Clock;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.invoicehub.platform.InvalidValue;
import com.invoicehub.platform.api.Page;
import com.invoicehub.platform.audit.AuditLog;
import com.invoicehub.security.Credentials;
import com.invoicehub.security.SecretCipher;

/** Customers: register, read, change. Every change is audited in its own transaction. */
@Service
public class CustomerRegistry {

    private final CustomerRepository customers;
    private final SecretCipher cipher;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    CustomerRegistry(CustomerRepository customers, SecretCipher cipher, AuditLog audit, Clock clock,
                     ApplicationEventPublisher events) {
        this.customers = customers;
        this.cipher = cipher;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    @Transactional
    public IssuedCustomerCredentials register(CustomerRequest asSent) {
        if (asSent.id() == null) {
            throw new InvalidValue("id", "must not be blank");
        }
        CustomerRequest request = asSent.withDefaultDelivery();
        Customer.Policies policies = request.checkMeaning();
        requireEdiPassword(request);
        String apiKey = Credentials.newApiKey(CustomerApiKeys.PREFIX);
        String webhookSecret = Credentials.newSigningSecret();
        boolean inserted = customers.insert(request, policies, Credentials.hashApiKey(apiKey),
                cipher.encrypt(webhookSecret), encryptedEdiPassword(request), clock.instant());
        if (!inserted) {
            throw new CustomerExists(request.id());
        }
        Customer customer = get(request.id());
        audit.record("customer.created", "customer", customer.id(), null, customer);
        events.publishEvent(new CustomerRegistered(customer.id(), customer.invoiceDay(), customer.timeZone()));
        return new IssuedCustomerCredentials(customer, apiKey, webhookSecret);
    }

    @Transactional
    public Customer update(String id, CustomerRequest asSent) {
        if (asSent.id() != null && !asSent.id().equals(id)) {
            throw new InvalidValue("id", "must be " + id + " (the id in the path) or left out");
        }
        Customer before = get(id);
        CustomerRequest withDelivery = asSent.delivery() != null ? asSent
                : asSent.withDelivery(kept(before.delivery()));
        // Policies left out are kept (as delivery is); their amounts are read again in the currency sent.
        CustomerRequest request = withDelivery.policies() != null ? withDelivery
                : withDelivery.withPolicies(CustomerRequest.Policies.of(before.policies()));
        Customer.Policies policies = request.checkMeaning();
        if (!before.currency().equals(request.currency())) {
            requireNoMoneyInCurrency(before, request.currency());
        }
        if (before.delivery().edi() == null || !before.delivery().edi().passwordSet()) {
            requireEdiPassword(request);
        }
        customers.update(id, request, policies, encryptedEdiPassword(request), clock.instant());
        Customer after = get(id);
        audit.record("customer.updated", "customer", id, before, after);
        if (!before.approverEmails().equals(after.approverEmails())) {
            events.publishEvent(new CustomerApproversChanged(id, after.approverEmails()));
        }
        return after;
    }

    /**
     * Money keeps its currency: a change is refused while items wait to be invoiced or invoices wait for a decision
     * (both are in the old currency). Holds the customer's invoice-run lock and row lock, so no run or other change
     * slips in between the check and the update.
     */
    private void requireNoMoneyInCurrency(Customer before, String to) {
        customers.lockForCurrencyChange(before.id());
        CustomerRepository.MoneyInFlight open = customers.moneyInFlight(before.id(), CurrencyInUse.LISTED);
        if (open.unbilledItems() > 0 || open.undecidedInvoices() > 0) {
            throw new CurrencyInUse(before.id(), before.currency(), to, open.unbilledItems(), open.unbilledItemIds(),
                    open.undecidedInvoices(), open.undecidedInvoiceIds());
        }
    }

    public Customer get(String id) {
        return customers.find(id).orElseThrow(() -> new CustomerNotFound(id));
    }

    public Page<Customer> list(Integer size, String cursor) {
        int limit = Page.size(size);
        List<Customer> rows = customers.page(Page.decodeCursor(cursor), limit + 1);
        return Page.of(rows, limit, Customer::id);
    }

    /** Every customer's invoicing currency: what the ingest rules check line items against. */
    public Map<String, Currency> currencies() {
        return customers.currencies();
    }

    /** The plain webhook secret, for signing the customer's invoice webhooks. */
    public String webhookSecret(String customerId) {
        return cipher.decrypt(customers.webhookSecretEncrypted(customerId)
                .orElseThrow(() -> new CustomerNotFound(customerId)));
    }

    /** The stored channels as a request says them; the EDI password left out, so the stored one stays. */
    private static CustomerRequest.Delivery kept(Customer.Delivery stored) {
        Customer.Edi edi = stored.edi();
        return new CustomerRequest.Delivery(stored.email(), stored.webhookUrl(), edi == null ? null
                : new CustomerRequest.Edi(edi.host(), edi.port(), edi.user(), null, edi.folder(), edi.senderId(),
                        edi.receiverId()));
    }

    private static void requireEdiPassword(CustomerRequest request) {
        CustomerRequest.Edi edi = request.delivery().edi();
        if (edi != null && (edi.password() == null || edi.password().isBlank())) {
            throw new InvalidValue("delivery.edi.password", "must not be blank");
        }
    }

    private String encryptedEdiPassword(CustomerRequest request) {
        CustomerRequest.Edi edi = request.delivery().edi();
        return edi == null || edi.password() == null || edi.password().isBlank() ? null : cipher.encrypt(edi.password());
    }
}
