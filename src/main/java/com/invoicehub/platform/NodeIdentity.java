package com.invoicehub.platform;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** This hub node's name in leases and claims: host, process and a random suffix (unique per start). */
@Component
public class NodeIdentity {

    private final String id;

    NodeIdentity(@Value("${hub.node-id:}") String configured) {
        this.id = configured.isBlank() ? host() + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-"
                + UUID.randomUUID().toString().substring(0, 8) : configured;
    }

    public String id() {
        return id;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "node";
        }
    }
}
