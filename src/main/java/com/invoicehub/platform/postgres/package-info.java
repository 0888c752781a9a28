/**
 * PostgreSQL COPY, for the ledger's and the pipeline's bulk writes.
 */
@NamedInterface("postgres")
package com.invoicehub.platform.postgres;

import org.springframework.modulith.NamedInterface;
