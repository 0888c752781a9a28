/**
 * The console at /console: server-rendered pages for ops and finance (overview, files, records, invoices,
 * deliveries, partners, customers, reports). Every action calls the same service as the API, so it is checked and
 * audited the same way; the pages work without JavaScript.
 */
package com.invoicehub.console;
