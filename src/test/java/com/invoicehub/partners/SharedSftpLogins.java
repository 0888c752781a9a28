package com.invoicehub.partners;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import com.invoicehub.platform.sftp.SftpAccounts;

/**
 * The hub's own partner SFTP logins (ids and bcrypt passwords from the {@code partners} table), for an SFTP server
 * the fault suite runs outside any hub process. Test code only.
 */
public final class SharedSftpLogins {

    private SharedSftpLogins() {
    }

    public static SftpAccounts fromDatabase(DataSource dataSource) {
        return new PartnerSftpAccounts(new PartnerRepository(JdbcClient.create(dataSource)),
                PasswordEncoderFactories.createDelegatingPasswordEncoder());
    }
}
