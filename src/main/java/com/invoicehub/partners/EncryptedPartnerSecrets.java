package com.invoicehub.partners;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.invoicehub.security.EncryptedColumn;

/** The partners' values encrypted under the hub key, re-encrypted when the key is rotated. */
@Configuration(proxyBeanMethods = false)
class EncryptedPartnerSecrets {

    @Bean
    EncryptedColumn partnerSigningSecrets() {
        return new EncryptedColumn("partners", "id", "signing_secret_enc");
    }
}
