package com.invoicehub.fault;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The fault suite's knobs, each a system property ({@code -Dfault.<name>=...}) with a default sized so the whole run
 * stays well under 15 minutes on 2 cores. The hub settings the nodes get are in {@link FaultSuite#nodeEnvironment}.
 */
record FaultSettings(Path projectDir, Path jar, Path workDir, long seed, int partners, int customers,
                     int sftpFilesPerPartner, int s3FilesPerPartner, int rowsPerFile, int webhooksPerPartner,
                     int sqsPerPartner, int itemsPerMessage, double repeatShare, int feedSeconds, double reserveShare,
                     int dbOutageSeconds, int maxRecoverySeconds, String lease, int drainSeconds, String nodeHeap,
                     Duration suiteDeadline, int aimFilesPerPartner, int aimFileRows, int billingRoundSeconds) {

    static FaultSettings fromSystemProperties() {
        Path project = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        return new FaultSettings(
                project,
                Path.of(System.getProperty("fault.jar", project.resolve("target/invoice-hub.jar").toString())),
                Path.of(System.getProperty("fault.workDir", project.resolve("target/fault").toString())),
                Long.getLong("fault.seed", System.nanoTime() % 1_000_000),
                Integer.getInteger("fault.partners", 3),
                Integer.getInteger("fault.customers", 4),
                Integer.getInteger("fault.sftpFilesPerPartner", 8),
                Integer.getInteger("fault.s3FilesPerPartner", 8),
                Integer.getInteger("fault.rowsPerFile", 150),
                Integer.getInteger("fault.webhooksPerPartner", 50),
                Integer.getInteger("fault.sqsPerPartner", 50),
                Integer.getInteger("fault.itemsPerMessage", 10),
                Double.parseDouble(System.getProperty("fault.repeatShare", "0.1")),
                Integer.getInteger("fault.feedSeconds", 240),
                Double.parseDouble(System.getProperty("fault.reserveShare", "0.3")),
                Integer.getInteger("fault.dbOutageSeconds", 60),
                Integer.getInteger("fault.maxRecoverySeconds", 30),
                System.getProperty("fault.lease", "PT20S"),
                Integer.getInteger("fault.drainSeconds", 300),
                System.getProperty("fault.nodeHeap", "512m"),
                Duration.ofSeconds(Integer.getInteger("fault.deadlineSeconds", 14 * 60)),
                Integer.getInteger("fault.aimFilesPerPartner", 2),
                Integer.getInteger("fault.aimFileRows", 1000),
                Integer.getInteger("fault.billingRoundSeconds", 10));
    }
}
