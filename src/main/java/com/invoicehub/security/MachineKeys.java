package com.invoicehub.security;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import com.invoicehub.platform.InvalidValue;
import com.invoicehub.platform.audit.AuditLog;

/**
 * API keys of ops' and finance's machine clients ({@code ihm_...}): looked up by SHA-256 like partners' and
 * customers' keys, so a script's call costs one indexed look-up where HTTP Basic costs a BCrypt check. Made by a
 * person (HTTP Basic), shown once, revocable; every change audited.
 */
@Component
class MachineKeys implements ApiKeyLookup {

    static final String PREFIX = "ihm";

    /** A key as listed: never the key itself, which only its maker saw. */
    record MachineKey(long id, String name, ApiPrincipal.Kind role, String createdBy, Instant createdAt,
                      Instant revokedAt) {
    }

    /** A key just made: the only time {@code apiKey} is shown. */
    record IssuedMachineKey(long id, String name, ApiPrincipal.Kind role, String apiKey) {
    }

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    MachineKeys(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Optional<ApiPrincipal> findByKeyHash(String keyHash) {
        return jdbc.sql("select name, role from machine_keys where key_hash = :hash and revoked_at is null")
                .param("hash", keyHash)
                .query((rs, n) -> new ApiPrincipal(ApiPrincipal.Kind.valueOf(rs.getString(2)), rs.getString(1)))
                .optional();
    }

    @Override
    public String keyPrefix() {
        return PREFIX;
    }

    @Transactional
    IssuedMachineKey issue(String name, String role) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new InvalidValue("name", "required: 1-63 lower-case letters, digits and '-', starting with a "
                    + "letter or digit (got " + (name == null ? "nothing" : "'" + name + "'") + ")");
        }
        ApiPrincipal.Kind kind;
        try {
            kind = ApiPrincipal.Kind.valueOf(String.valueOf(role));
        } catch (IllegalArgumentException e) {
            kind = null;
        }
        if (kind != ApiPrincipal.Kind.OPS && kind != ApiPrincipal.Kind.FINANCE) {
            throw new InvalidValue("role", "one of OPS, FINANCE (got " + role + ")");
        }
        String apiKey = Credentials.newApiKey(PREFIX);
        Instant now = clock.instant();
        Optional<Long> id = jdbc.sql("""
                        insert into machine_keys (name, role, key_hash, created_by, created_at)
                        values (:name, :role, :hash, :by, :at)
                        on conflict (name) do nothing
                        returning id""")
                .param("name", name).param("role", kind.name()).param("hash", Credentials.hashApiKey(apiKey))
                .param("by", AuditLog.currentActor()).param("at", Timestamp.from(now))
                .query(Long.class).optional();
        if (id.isEmpty()) {
            throw new MachineKeyExists(name);
        }
        audit.record("machine-key.created", "machine-key", name, null, Map.of("role", kind.name()));
        return new IssuedMachineKey(id.get(), name, kind, apiKey);
    }

    List<MachineKey> list() {
        return jdbc.sql("select id, name, role, created_by, created_at, revoked_at from machine_keys order by id")
                .query((rs, n) -> new MachineKey(rs.getLong(1), rs.getString(2),
                        ApiPrincipal.Kind.valueOf(rs.getString(3)), rs.getString(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()))
                .list();
    }

    @Transactional
    void revoke(String name) {
        int revoked = jdbc.sql("update machine_keys set revoked_at = :at where name = :name and revoked_at is null")
                .param("name", name).param("at", Timestamp.from(clock.instant())).update();
        if (revoked == 0 && list().stream().noneMatch(key -> key.name().equals(name))) {
            throw new MachineKeyNotFound(name);
        }
        if (revoked > 0) {
            audit.record("machine-key.revoked", "machine-key", name, null, null);
        }
    }
}
