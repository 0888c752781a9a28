package com.invoicehub.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Files left in partners' SFTP inboxes and S3 drops, looked at in the inboxes themselves. */
public interface WaitingInboxes {

    /** A file in an inbox: where it is and since when. */
    record WaitingFile(String location, Instant since) {
    }

    /** What the inboxes hold that is older than an age, and any inbox that could not be looked into. */
    record Inboxes(List<WaitingFile> waiting, List<String> unreadable) {
    }

    Inboxes waitingLongerThan(Duration age);
}
