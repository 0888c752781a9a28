package com.invoicehub.ingest;

import java.nio.file.Path;

/**
 * A file a channel received, already on local disk: whose it is, how it reads, and what makes this receipt the
 * same receipt when a node retries it ({@code receiptKey}: path, size and modification time for SFTP).
 */
public record IncomingFile(String partnerId, Channel channel, String mapping, String name, String receiptKey,
                           Path localFile) {
}
