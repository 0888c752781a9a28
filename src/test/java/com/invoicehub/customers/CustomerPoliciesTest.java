package com.invoicehub.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Currency;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.invoicehub.ledger.ExpenseType;
import com.invoicehub.platform.InvalidValue;

/** A customer's policies as sent: read in its currency, or refused naming the field. No Spring. */
class CustomerPoliciesTest {

    private static final Currency USD = Currency.getInstance("USD");

    @Test
    void policiesAreReadInTheCustomersCurrency() {
        Customer.Policies policies = new CustomerRequest.Policies("5250", List.of("TUITION", "MATERIALS", "TUITION"),
                "2000.5").in(USD);
        assertThat(policies.annualCapPerEmployee().toPlainString()).isEqualTo("5250.00");
        assertThat(policies.maxPerItem().toPlainString()).isEqualTo("2000.50");
        assertThat(policies.allowedExpenseTypes()).containsExactly(ExpenseType.TUITION, ExpenseType.MATERIALS);
        assertThat(new CustomerRequest.Policies(null, null, null).in(USD)).isEqualTo(Customer.Policies.NONE);
    }

    @Test
    void whatIsNotAPolicyIsRefusedNamingTheField() {
        refused(new CustomerRequest.Policies("5250.001", null, null), USD, "policies.annualCapPerEmployee");
        refused(new CustomerRequest.Policies("0.00", null, null), USD, "policies.annualCapPerEmployee");
        refused(new CustomerRequest.Policies("-5", null, null), USD, "policies.annualCapPerEmployee");
        refused(new CustomerRequest.Policies("1e3", null, null), USD, "policies.annualCapPerEmployee");
        refused(new CustomerRequest.Policies("lots", null, null), USD, "policies.annualCapPerEmployee");
        refused(new CustomerRequest.Policies("10000000000000", null, null), USD, "policies.annualCapPerEmployee");
        refused(new CustomerRequest.Policies(null, null, "12.5"), Currency.getInstance("JPY"), "policies.maxPerItem");
        refused(new CustomerRequest.Policies(null, List.of(), null), USD, "policies.allowedExpenseTypes");
        refused(new CustomerRequest.Policies(null, List.of("TUITION", "BEER"), null), USD,
                "policies.allowedExpenseTypes[1]");
        refused(new CustomerRequest.Policies(null, List.of("tuition"), null), USD, "policies.allowedExpenseTypes[0]");
    }

    @Test
    void storedPoliciesSayThemselvesAsARequestAgain() {
        Customer.Policies stored = new CustomerRequest.Policies("5250.00", List.of("FEES"), null).in(USD);
        assertThat(CustomerRequest.Policies.of(stored).in(USD)).isEqualTo(stored);
    }

    private static void refused(CustomerRequest.Policies policies, Currency currency, String field) {
        assertThatThrownBy(() -> policies.in(currency)).isInstanceOfSatisfying(InvalidValue.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
