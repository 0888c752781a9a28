/**
 * The read side of ingestion (receipts, records, attempts, downloads), offered to the console.
 */
@NamedInterface("lookup")
package com.invoicehub.ingest.lookup;

import org.springframework.modulith.NamedInterface;
