package com.invoicehub.partners;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.invoicehub.platform.sftp.SftpHomes;

@Repository
class PartnerRepository {

    private static final String COLUMNS = """
            id, name, type, contact_email, sftp_public_key is not null as public_key_set,
            created_at, updated_at, credentials_rotated_at""";

    private final JdbcClient jdbc;

    PartnerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts unless the id is taken; answers whether it inserted. */
    boolean insert(NewPartner partner, String apiKeyHash, String signingSecretEncrypted, String sftpPasswordHash,
                   Instant now) {
        return jdbc.sql("""
                        insert into partners (id, name, type, contact_email, api_key_hash, signing_secret_enc,
                                              sftp_password_hash, sftp_public_key, created_at, updated_at,
                                              credentials_rotated_at)
                        values (:id, :name, :type, :email, :keyHash, :secret, :sftpHash, :publicKey, :now, :now, :now)
                        on conflict (id) do nothing
                        """)
                .param("id", partner.id()).param("name", partner.name()).param("type", partner.type().name())
                .param("email", partner.contactEmail()).param("keyHash", apiKeyHash)
                .param("secret", signingSecretEncrypted).param("sftpHash", sftpPasswordHash)
                .param("publicKey", blankToNull(partner.sftpPublicKey())).param("now", Timestamp.from(now))
                .update() == 1;
    }

    boolean replaceCredentials(String id, String apiKeyHash, String signingSecretEncrypted, String sftpPasswordHash,
                               Instant now) {
        return jdbc.sql("""
                        update partners set api_key_hash = :keyHash, signing_secret_enc = :secret,
                               sftp_password_hash = :sftpHash, credentials_rotated_at = :now, updated_at = :now
                        where id = :id
                        """)
                .param("id", id).param("keyHash", apiKeyHash).param("secret", signingSecretEncrypted)
                .param("sftpHash", sftpPasswordHash).param("now", Timestamp.from(now))
                .update() == 1;
    }

    Optional<Partner> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from partners where id = :id")
                .param("id", id).query(PartnerRepository::partner).optional();
    }

    List<Partner> page(String afterId, int limit) {
        return jdbc.sql("select " + COLUMNS + " from partners where (cast(:after as text) is null or id > :after) "
                        + "order by id limit :limit")
                .param("after", afterId).param("limit", limit)
                .query(PartnerRepository::partner).list();
    }

    Optional<String> idByApiKeyHash(String hash) {
        return jdbc.sql("select id from partners where api_key_hash = :hash")
                .param("hash", hash).query(String.class).optional();
    }

    Optional<String> sftpPasswordHash(String id) {
        return jdbc.sql("select sftp_password_hash from partners where id = :id")
                .param("id", id).query(String.class).optional();
    }

    Optional<String> sftpPublicKey(String id) {
        return jdbc.sql("select sftp_public_key from partners where id = :id and sftp_public_key is not null")
                .param("id", id).query(String.class).optional();
    }

    Optional<String> signingSecretEncrypted(String id) {
        return jdbc.sql("select signing_secret_enc from partners where id = :id")
                .param("id", id).query(String.class).optional();
    }

    private static Partner partner(ResultSet rs, int row) throws SQLException {
        String id = rs.getString("id");
        return new Partner(id, rs.getString("name"), PartnerType.valueOf(rs.getString("type")),
                rs.getString("contact_email"),
                new Partner.Sftp(id, rs.getBoolean("public_key_set"), "/" + SftpHomes.INBOX + "/",
                        "/" + SftpHomes.PROCESSED + "/", "/" + SftpHomes.FAILED + "/", "/" + SftpHomes.OUTBOX + "/"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
                rs.getObject("credentials_rotated_at", OffsetDateTime.class));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
