/**
 * "Explain this line" (issue 17): for one line of an invoice, every item behind it and the chain from the partner's
 * bytes to the amount billed (partner, receipt and row, every attempt and replay of the record, any correction, the
 * policy and review flags). Its own module because it reads both {@code invoicing} and {@code ingest}'s look-ups,
 * and {@code invoicing} must not depend on {@code ingest}: the arrows are explain → invoicing and
 * explain → ingest.lookup, and console → explain. Its API is {@link com.invoicehub.explain.LineExplanations} and the
 * answer {@link com.invoicehub.explain.LineExplanation}.
 */
package com.invoicehub.explain;
