/**
 * Partners' SFTP homes and logins, as the partners feature provisions them.
 */
@NamedInterface("sftp")
package com.invoicehub.platform.sftp;

import org.springframework.modulith.NamedInterface;
