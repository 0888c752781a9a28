package com.invoicehub.platform.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports of the embedded servers: 0 picks a free one (tests); a taken port fails start-up by name. */
final class LocalPorts {

    private LocalPorts() {
    }

    /**
     * Returns the port to bind: the configured one after checking it is free, or a free ephemeral port
     * when the configuration says 0.
     */
    static int claim(int configured, String piece, String setting) {
        if (configured == 0) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("no free port for " + piece, e);
            }
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("0.0.0.0", configured));
            return configured;
        } catch (IOException e) {
            throw new LocalPortInUseException(piece, configured, setting);
        }
    }
}
