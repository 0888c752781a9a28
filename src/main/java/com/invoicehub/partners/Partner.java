package com.invoicehub.partners;

import java.time.OffsetDateTime;

/** A partner as the API shows it: never its keys or secrets. */
public record Partner(String id, String name, PartnerType type, String contactEmail, Sftp sftp,
                      OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime credentialsRotatedAt) {

    /** Where the partner drops files: its login and the folders of its SFTP home. */
    public record Sftp(String user, boolean publicKeySet, String inbox, String processed, String failed,
                       String outbox) {
    }
}
