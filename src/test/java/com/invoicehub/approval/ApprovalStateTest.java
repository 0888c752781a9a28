package com.invoicehub.approval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.invoicehub.approval.ApprovalRequests.State;
import com.invoicehub.invoicing.InvoiceStatus;

/** An approval link's state: which fact wins, Spring-free. */
class ApprovalStateTest {

    @Test
    void anOpenLinkIsUnusedUnrevokedItsInvoiceAwaitingAndInTime() {
        assertThat(ApprovalRequests.stateOf(false, false, () -> InvoiceStatus.AWAITING_APPROVAL, () -> false))
                .isEqualTo(State.OPEN);
        assertThat(ApprovalRequests.stateOf(false, false, () -> InvoiceStatus.AWAITING_APPROVAL, () -> true))
                .isEqualTo(State.EXPIRED);
    }

    @Test
    void usedWinsOverEverythingThenRevokedThenDecidedThenExpired() {
        assertThat(ApprovalRequests.stateOf(true, true, () -> InvoiceStatus.APPROVED, () -> true))
                .isEqualTo(State.USED);
        assertThat(ApprovalRequests.stateOf(false, true, () -> InvoiceStatus.DENIED, () -> true))
                .isEqualTo(State.REVOKED);
        assertThat(ApprovalRequests.stateOf(false, false, () -> InvoiceStatus.DELIVERED, () -> true))
                .isEqualTo(State.DECIDED);
    }

    @Test
    void theInvoiceAndTheClockAreAskedOnlyWhenNeeded() {
        assertThat(ApprovalRequests.stateOf(true, false, () -> {
            throw new AssertionError("the invoice was read for a used link");
        }, () -> {
            throw new AssertionError("the clock was read for a used link");
        })).isEqualTo(State.USED);
        assertThat(ApprovalRequests.stateOf(false, false, () -> InvoiceStatus.APPROVED, () -> {
            throw new AssertionError("the clock was read for a decided invoice");
        })).isEqualTo(State.DECIDED);
    }
}
