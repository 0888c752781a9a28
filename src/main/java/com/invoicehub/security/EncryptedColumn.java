package com.invoicehub.security;

/**
 * A column holding values encrypted by {@link SecretCipher}, declared as a bean by the module that owns the table, so
 * {@link EncryptionKeyRotation} re-encrypts it when the hub key is rotated. Names are the module's own constants.
 */
public record EncryptedColumn(String table, String idColumn, String column) {
}
