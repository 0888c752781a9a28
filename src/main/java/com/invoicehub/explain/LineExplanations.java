package com.invoicehub.explain;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import com.invoicehub.explain.LineExplanation.Correction;
import com.invoicehub.explain.LineExplanation.Flag;
import com.invoicehub.explain.LineExplanation.CorrectionKind;
import com.invoicehub.explain.LineExplanation.Item;
import com.invoicehub.explain.LineExplanation.Line;
import com.invoicehub.explain.LineExplanation.Partner;
import com.invoicehub.explain.LineExplanation.Source;
import com.invoicehub.ingest.lookup.LineItemOrigins;
import com.invoicehub.ingest.lookup.LineItemOrigins.Origin;
import com.invoicehub.invoicing.Invoice;
import com.invoicehub.invoicing.InvoiceLineItems;
import com.invoicehub.invoicing.Invoices;
import com.invoicehub.ledger.NearDuplicates;
import com.invoicehub.shared.Money;

/**
 * Explains one line of an invoice: the invoice (a customer's only if it is that customer's, else 404 as if it did not
 * exist), its line {@code n}, the items behind it with their corrections, and each item's origin from ingestion.
 * Read in one snapshot (repeatable read), so a replay or a correction committing meanwhile cannot make the parts
 * disagree; four queries whatever the number of items.
 */
@Service
public class LineExplanations {

    private final Invoices invoices;
    private final LineItemOrigins origins;
    private final NearDuplicates nearDuplicates;

    LineExplanations(Invoices invoices, LineItemOrigins origins, NearDuplicates nearDuplicates) {
        this.invoices = invoices;
        this.origins = origins;
        this.nearDuplicates = nearDuplicates;
    }

    /**
     * @param n            the line's 1-based place in the invoice's {@code lines}
     * @param onlyCustomer the caller's customer id when a customer asks, null for ops and finance
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public LineExplanation explain(long invoiceId, int n, String onlyCustomer) {
        Invoice invoice = invoices.get(invoiceId, onlyCustomer);
        if (n < 1 || n > invoice.lines().size()) {
            throw new InvoiceLineNotFound(invoiceId, n, invoice.lines().size());
        }
        Invoice.Line line = invoice.lines().get(n - 1);
        List<InvoiceLineItems.Item> behind = invoices.lineItems(invoiceId).behind(line);
        List<Long> ids = behind.stream().map(InvoiceLineItems.Item::lineItemId).toList();
        Map<Long, Origin> originOf = origins.of(ids);
        Map<Long, NearDuplicates.Review> reviews = nearDuplicates.reviewsOf(ids);
        Currency currency = Currency.getInstance(invoice.currency());
        Money itemsTotal = Money.zero(currency);
        List<Item> items = new ArrayList<>();
        for (InvoiceLineItems.Item item : behind) {
            Item explained = item(item, originOf.get(item.lineItemId()), currency,
                    flags(reviews.get(item.lineItemId())));
            items.add(explained);
            itemsTotal = itemsTotal.plus(explained.invoicedAmount());
        }
        return new LineExplanation(invoice.id(), invoice.customerId(), invoice.revision(), invoice.status(),
                invoice.currency(), n,
                new Line(line.customerUserId(), line.userName(), line.expenseType(), line.priorPeriod(),
                        line.total(), line.itemCount()),
                itemsTotal, items, line.flags().stream()
                        .map(flag -> new Flag("POLICY_" + flag.kind().name(), flag.message())).toList());
    }

    /** A near-duplicate review of the item, as a flag: flagged, and what finance decided. */
    private static List<Flag> flags(NearDuplicates.Review review) {
        if (review == null) {
            return List.of();
        }
        return List.of(new Flag("NEAR_DUPLICATE_" + review.state(), "looks like line item " + review.twin().id()
                + " (" + review.twin().externalId() + ", " + review.twin().channel() + ")"
                + (review.decidedBy() == null ? "; waiting for review"
                : "; " + review.state().name().toLowerCase() + " by " + review.decidedBy()
                + (review.reason() == null ? "" : ": " + review.reason()))));
    }

    private static Item item(InvoiceLineItems.Item item, Origin origin, Currency currency, List<Flag> flags) {
        Correction correction = item.excluded() ? new Correction(CorrectionKind.EXCLUDED, item.correctionReason())
                : item.correctionReason() != null ? new Correction(CorrectionKind.ADJUSTED, item.correctionReason())
                : null;
        Money invoiced = item.excluded() ? Money.zero(currency) : item.amount();
        Partner partner = new Partner(item.partnerId(), item.partnerName());
        if (origin == null) {
            return new Item(item.lineItemId(), partner, item.externalId(), item.description(), item.serviceDate(),
                    null, invoiced, correction, null, List.of(), List.of(), flags);
        }
        LineItemOrigins.Receipt receipt = origin.receipt();
        Source source = new Source(origin.recordId(), receipt.channel(), receipt.fileId(), receipt.name(),
                receipt.mapping(), receipt.sha256(), receipt.receivedAt(), receipt.rowInReceipt(),
                receipt.messageId(), receipt.rowInMessage(), origin.raw());
        return new Item(item.lineItemId(), partner, item.externalId(), item.description(), item.serviceDate(),
                origin.appliedAmount(), invoiced, correction, source, origin.attempts(), origin.otherReceipts(),
                flags);
    }
}
