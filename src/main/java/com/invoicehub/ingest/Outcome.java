package com.invoicehub.ingest;

/** How one attempt ended (CONTRACT §5). */
public enum Outcome { APPLIED, DUPLICATE, CONFLICT, REJECTED, ERROR }
