package com.invoicehub.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real hub process ({@code java -jar target/invoice-hub.jar}) with its own port and data directory, pointed at
 * the shared infrastructure by environment. Each start is a new generation with its own node id
 * ({@code HUB_NODE_ID=<name>-g<n>}), so the suite can tell its leases ({@code lease_owner} starts with it).
 */
final class HubNode {

    final String name;
    final int port;
    /** This node's partners' SFTP server (all nodes serve the same homes under the same host key). */
    final int sftpPort;
    private final Path dir;
    private final Path log;
    private final Path jar;
    private final String heap;
    private final Map<String, String> environment;
    private final Path pidFile;
    private final HubHttp http;
    private Process process;
    private int generation;

    HubNode(String name, int port, int sftpPort, Path workDir, Path jar, String heap,
            Map<String, String> environment, HubHttp http) throws IOException {
        this.name = name;
        this.port = port;
        this.sftpPort = sftpPort;
        this.dir = workDir.resolve(name);
        this.log = workDir.resolve(name + ".log");
        this.jar = jar;
        this.heap = heap;
        this.environment = environment;
        this.pidFile = workDir.resolve("hub-pids");
        this.http = http;
        Files.createDirectories(dir.resolve("tmp"));
    }

    synchronized void start() throws IOException {
        generation++;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + dir.resolve("tmp"), "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("HUB_") || key.startsWith("SPRING_") || key.startsWith("SERVER_"));
        env.putAll(environment);
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("HUB_SFTP_PORT", Integer.toString(sftpPort));
        env.put("HUB_DATA_DIR", dir.resolve("data").toString());
        env.put("HUB_NODE_ID", nodeId());
        env.put("HUB_PUBLIC_URL", "http://127.0.0.1:" + port);
        Files.writeString(log, "\n===== fault suite: start " + nodeId() + " at " + Instant.now() + " =====\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = builder.start();
        Files.writeString(pidFile, process.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    synchronized String nodeId() {
        return name + "-g" + generation;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process.pid();
    }

    boolean healthy() {
        if (!alive()) {
            return false;
        }
        try {
            HubHttp.Response health = http.send(port, "GET", "/actuator/health", null, Map.of(),
                    Duration.ofSeconds(5));
            return health.status() == 200 && health.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Polls health until UP; false if the process died or the time ran out. */
    boolean awaitHealthy(Duration max) throws InterruptedException {
        Instant deadline = Instant.now().plus(max);
        while (Instant.now().isBefore(deadline)) {
            if (healthy()) {
                return true;
            }
            if (!alive()) {
                return false;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** SIGKILL: no shutdown hook runs, PostgreSQL sessions and leases are left as they are. */
    void kill9() throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait for the exit; null if it did not exit in time (then it is killed). */
    Integer sigterm(Duration max) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        p.destroy();
        if (p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            return p.exitValue();
        }
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        return null;
    }

    void stopQuietly() {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
