package com.invoicehub.platform.localstack;

import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import com.invoicehub.platform.LocalStackMode;
import com.invoicehub.platform.sftp.PartnerSftpServer;

/** The local stack is active when its PostgreSQL runs; the servers it started say the rest. */
@Component
class LocalStackModeFromServers implements LocalStackMode {

    private final LocalStack localStack;
    private final ObjectProvider<EmbeddedPostgresServer> postgres;
    private final ObjectProvider<PartnerSftpServer> sftp;

    LocalStackModeFromServers(LocalStack localStack, ObjectProvider<EmbeddedPostgresServer> postgres,
                              ObjectProvider<PartnerSftpServer> sftp) {
        this.localStack = localStack;
        this.postgres = postgres;
        this.sftp = sftp;
    }

    @Override
    public boolean active() {
        return postgres.getIfAvailable() != null;
    }

    @Override
    public String password(String name) {
        requireActive(name);
        return localStack.secrets().password(name);
    }

    @Override
    public String key(String name) {
        requireActive(name);
        return localStack.secrets().key(name);
    }

    @Override
    public void report(String section, Map<String, ?> values) {
        localStack.report(section, values);
    }

    @Override
    public Optional<String> sftpHostKeyFingerprint() {
        // Only locally: there EDI test deliveries go to the hub's own server; in production it is never a customer's.
        return active() ? Optional.ofNullable(sftp.getIfAvailable()).map(PartnerSftpServer::hostKeyFingerprint)
                : Optional.empty();
    }

    private void requireActive(String name) {
        if (!active()) {
            throw new IllegalStateException("the local stack is not running: " + name + " must be configured");
        }
    }
}
