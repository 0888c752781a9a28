package com.invoicehub.platform.localstack;

/** A port of the local stack is taken: says which piece, which port and which setting moves it. */
public class LocalPortInUseException extends RuntimeException {

    private final String piece;
    private final int port;
    private final String setting;

    LocalPortInUseException(String piece, int port, String setting) {
        super("Port " + port + " for the local " + piece + " is already in use. Stop what uses it, or set "
                + setting + " to another port (or point the hub at a real " + piece + ").");
        this.piece = piece;
        this.port = port;
        this.setting = setting;
    }

    public String piece() {
        return piece;
    }

    public int port() {
        return port;
    }

    public String setting() {
        return setting;
    }
}
