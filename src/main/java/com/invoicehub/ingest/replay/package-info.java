/**
 * Running records again: replays (also as dry runs) offered to the console, the error sweep, the mapping dry run.
 */
@NamedInterface("replay")
package com.invoicehub.ingest.replay;

import org.springframework.modulith.NamedInterface;
