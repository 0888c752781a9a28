package com.invoicehub.platform.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class LocalPortsTest {

    @Test
    void aTakenPortFailsNamingThePortAndTheSettingThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> LocalPorts.claim(port, "SFTP server", "HUB_SFTP_PORT"))
                    .isInstanceOf(LocalPortInUseException.class)
                    .hasMessageContaining("Port " + port)
                    .hasMessageContaining("SFTP server")
                    .hasMessageContaining("HUB_SFTP_PORT");
        }
    }

    @Test
    void zeroPicksAFreePort() throws Exception {
        int port = LocalPorts.claim(0, "S3 endpoint", "HUB_S3_PORT");
        assertThat(port).isPositive();
        try (ServerSocket socket = new ServerSocket(port)) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void failureAnalyzerSaysWhatToDo() {
        LocalPortInUseException failure = new LocalPortInUseException("SQS endpoint", 9324, "HUB_SQS_PORT");
        var analysis = new LocalPortInUseFailureAnalyzer().analyze(new IllegalStateException(failure), failure);
        assertThat(analysis.getDescription()).contains("9324");
        assertThat(analysis.getAction()).contains("HUB_SQS_PORT");
    }
}
