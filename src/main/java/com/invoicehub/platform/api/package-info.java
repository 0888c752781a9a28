/**
 * The API's error answers and paging, used by every feature's controllers (CONTRACT §10).
 */
@NamedInterface("api")
package com.invoicehub.platform.api;

import org.springframework.modulith.NamedInterface;
