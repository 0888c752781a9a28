package com.invoicehub.customers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.invoicehub.security.EncryptedColumn;

/** The customers' values encrypted under the hub key, re-encrypted when the key is rotated. */
@Configuration(proxyBeanMethods = false)
class EncryptedCustomerSecrets {

    @Bean
    EncryptedColumn customerWebhookSecrets() {
        return new EncryptedColumn("customers", "id", "webhook_secret_enc");
    }

    @Bean
    EncryptedColumn customerEdiPasswords() {
        return new EncryptedColumn("customers", "id", "edi_password_enc");
    }
}
