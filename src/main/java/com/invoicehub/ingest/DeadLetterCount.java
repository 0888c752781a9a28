package com.invoicehub.ingest;

/** How many SQS messages wait in the dead-letter queue (the reconciliation counts them as unexplained). */
public interface DeadLetterCount {

    /** SQS's approximate count: visible, in flight and delayed. */
    long count();
}
