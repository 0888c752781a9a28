package com.invoicehub.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU seconds used so far by this JVM and by the local stack's PostgreSQL (the postmaster and its backends, read from
 * /proc), so a benchmark can say which side of the connection its wall time was spent on. Linux only; elsewhere
 * PostgreSQL's share reads 0.
 */
record ProcessCpu(double hubSeconds, double postgresSeconds) {

    // USER_HZ: 100 on every Linux the hub runs on; /proc reports CPU time in these ticks.
    private static final double TICKS_PER_SECOND = 100.0;

    static ProcessCpu now(Path postgresDataDirectory) {
        double hub = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        return new ProcessCpu(hub, postgresSeconds(postgresDataDirectory));
    }

    ProcessCpu minus(ProcessCpu earlier) {
        return new ProcessCpu(hubSeconds - earlier.hubSeconds, postgresSeconds - earlier.postgresSeconds);
    }

    /** The machine's one-minute load average, for reading the figures of a shared host. */
    static double loadAverage() {
        return Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 10) / 10.0;
    }

    private static double postgresSeconds(Path dataDirectory) {
        try {
            List<String> pidFile = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            long postmaster = Long.parseLong(pidFile.get(0).trim());
            long ticks = 0;
            try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    String stat;
                    try {
                        stat = Files.readString(process.resolve("stat"));
                    } catch (IOException e) {
                        continue; // exited meanwhile
                    }
                    // After the command name (which may hold spaces): state ppid ... utime(14) stime(15) cutime cstime
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(process.getFileName().toString());
                    if (pid == postmaster) {
                        // Exited backends' time is counted in their parent's cutime/cstime.
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                                + Long.parseLong(f[14]);
                    } else if (Long.parseLong(f[1]) == postmaster) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                }
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
