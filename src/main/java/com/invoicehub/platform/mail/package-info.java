/**
 * Outbound mail, the one way the hub sends mail.
 */
@NamedInterface("mail")
package com.invoicehub.platform.mail;

import org.springframework.modulith.NamedInterface;
