package com.invoicehub.partners;

import com.invoicehub.shared.Ids;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/partners}; {@code sftpPublicKey} (OpenSSH one-line form) is optional. */
public record NewPartner(
        @NotBlank @Pattern(regexp = Ids.PATTERN, message = "must be 2-63 characters of a-z, 0-9 and -, "
                + "starting with a letter or digit") String id,
        @NotBlank @Size(max = 200) String name,
        @NotNull PartnerType type,
        @NotBlank @Email String contactEmail,
        @Size(max = 16000) String sftpPublicKey) {
}
