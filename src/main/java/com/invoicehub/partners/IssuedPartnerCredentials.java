package com.invoicehub.partners;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** The answer that shows a partner's credentials, the only time they are shown. */
public record IssuedPartnerCredentials(@JsonUnwrapped Partner partner, String apiKey, String signingSecret,
                                       String sftpPassword) {
}
