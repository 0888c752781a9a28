package com.invoicehub.ingest.pipeline;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the ledger can hold, in one place: {@link LineItemRules} (and so every channel, replays and the mapping dry
 * run) refuses anything beyond it, so no value a partner sends can make the database refuse a batch.
 * <ul>
 * <li>Text fields: at most so many characters (Unicode code points). The ledger's unique B-tree key on
 * {@code (partner_id, external_id)} holds an index entry of at most ~2,700 bytes: a partner id (63 ASCII characters)
 * and an external id of 200 characters (at most 800 bytes of UTF-8) always fit, as does
 * {@code (customer_id, customer_user_id)} in {@code customer_users}.</li>
 * <li>Amounts: {@code numeric(19,4)} holds 15 integer digits; a line item's magnitude is below 10^13, which leaves
 * room for the sums of an invoice.</li>
 * <li>Service dates: 1900-01-01 to 2199-12-31.</li>
 * </ul>
 */
public final class LineItemLimits {

    /** Longest value of each canonical field, in characters (code points), in the order fields are checked. */
    public static final Map<String, Integer> MAX_CHARACTERS;

    static {
        Map<String, Integer> max = new LinkedHashMap<>();
        max.put("externalId", 200);
        max.put("customerId", 63); // customer ids are [a-z0-9][a-z0-9-]{1,62}
        max.put("customerUserId", 200);
        max.put("userName", 200);
        max.put("expenseType", 40);
        max.put("amount", 40);
        max.put("currency", 40);
        max.put("serviceDate", 40);
        max.put("description", 1000);
        MAX_CHARACTERS = java.util.Collections.unmodifiableMap(max);
    }

    /** Every amount's magnitude is below this: |amount| < 10^13. */
    public static final BigDecimal AMOUNT_BOUND = BigDecimal.TEN.pow(13);

    public static final LocalDate EARLIEST_SERVICE_DATE = LocalDate.of(1900, 1, 1);
    public static final LocalDate LATEST_SERVICE_DATE = LocalDate.of(2199, 12, 31);

    /**
     * What the hub stores in place of U+0000 (PostgreSQL text cannot hold it): U+2400 SYMBOL FOR NULL, visible in the
     * raw text of a record. A field holding it is refused like one holding NUL, so a replay of that raw text gets the
     * verdict the original got; the archived file keeps the exact bytes.
     */
    public static final char NUL_STAND_IN = com.invoicehub.platform.postgres.CopyText.NUL_STAND_IN;

    private LineItemLimits() {
    }
}
