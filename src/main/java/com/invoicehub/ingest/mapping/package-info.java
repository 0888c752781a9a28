/**
 * What a partner mapping implements and produces (the mappings feature plugs in here): rows, rejections, limits.
 */
@NamedInterface("mapping")
package com.invoicehub.ingest.mapping;

import org.springframework.modulith.NamedInterface;
