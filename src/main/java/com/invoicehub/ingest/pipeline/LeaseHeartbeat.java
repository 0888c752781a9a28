package com.invoicehub.ingest.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Renews the leases of the receipts this node is working on, every quarter of a lease: a slow but live node keeps
 * its receipts, and a dead node's expire one lease after its last beat, when another node takes them over. A run that
 * has committed nothing for {@code hub.ingest.stall-after} is taken for hung and its lease is left to run out. Each lease is renewed in a statement of its own, so a beat never waits on two receipts at once.
 */
@Component
public class LeaseHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(LeaseHeartbeat.class);

    private final SourceFiles sourceFiles;
    private final Duration lease;
    private final Duration stallAfter;
    private final Map<Long, String> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ingest-lease-heartbeat");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean failing;

    LeaseHeartbeat(SourceFiles sourceFiles, @Value("${hub.ingest.lease:PT20S}") Duration lease,
                   @Value("${hub.ingest.stall-after:PT15M}") Duration stallAfter) {
        this.sourceFiles = sourceFiles;
        this.lease = lease;
        this.stallAfter = stallAfter;
        long period = Math.max(250, lease.toMillis() / 4);
        beat.scheduleWithFixedDelay(this::renewAll, period, period, TimeUnit.MILLISECONDS);
    }

    Duration lease() {
        return lease;
    }

    /** Keeps the receipt's lease alive for {@code owner} until {@link #release}. */
    void hold(long receiptId, String owner) {
        held.put(receiptId, owner);
    }

    void release(long receiptId, String owner) {
        held.remove(receiptId, owner);
    }

    private void renewAll() {
        held.forEach((receiptId, owner) -> {
            try {
                if (!sourceFiles.renew(receiptId, owner, lease, stallAfter)) {
                    // Lost (this node stalled past its lease and another took over), or the run committed nothing
                    // for stallAfter (hung): the lease runs out, another node takes over, this run's next commit fails.
                    log.warn("Lease on file {} is no longer renewed for {} (lost, or no batch committed for {}); its "
                            + "run stops at its next batch", receiptId, owner, stallAfter);
                    held.remove(receiptId, owner);
                }
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("Cannot renew ingest leases ({}); retrying every beat", e.getMessage());
                }
                failing = true;
            }
        });
    }

    @PreDestroy
    void stop() {
        beat.shutdownNow();
    }
}
