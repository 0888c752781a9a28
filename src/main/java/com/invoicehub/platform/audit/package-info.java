/**
 * The audit log every feature records its changes in.
 */
@NamedInterface("audit")
package com.invoicehub.platform.audit;

import org.springframework.modulith.NamedInterface;
