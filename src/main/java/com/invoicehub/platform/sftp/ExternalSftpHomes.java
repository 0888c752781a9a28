package com.invoicehub.platform.sftp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * With a real SFTP server the partner's login and home are provisioned there, not by the hub: say what to make.
 */
class ExternalSftpHomes implements SftpHomes {

    private static final Logger log = LoggerFactory.getLogger(ExternalSftpHomes.class);

    @Override
    public void createHome(String partnerId) {
        log.warn("SFTP is external (HUB_SFTP_EMBEDDED=false): create login '{}' on it with the password just "
                + "issued, and folders {}/{inbox,processed,failed,outbox} readable by the hub's own login",
                partnerId, partnerId);
    }
}
