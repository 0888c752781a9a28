package com.invoicehub.platform.sftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * A file opened for writing through the partners' SFTP server, refusing any write that would make it longer than
 * the largest file the hub ingests: one partner cannot fill the homes volume every node shares, and learns at once,
 * from the failed write, why its file was not taken.
 */
final class BoundedFileChannel implements SeekableByteChannel {

    /** Thrown (as the SFTP status's message) for a write past the limit. */
    static final class FileTooLarge extends IOException {
        FileTooLarge(String name, long maxBytes) {
            super(name + ": a file may be at most " + maxBytes + " bytes (HUB_INGEST_MAX_FILE_BYTES_SFTP); this upload "
                    + "is refused and discarded");
        }
    }

    private final SeekableByteChannel channel;
    private final long maxBytes;
    private final String name;
    private volatile String refusal;

    BoundedFileChannel(SeekableByteChannel channel, long maxBytes, String name) {
        this.channel = channel;
        this.maxBytes = maxBytes;
        this.name = name;
    }

    /** The channel written to (the default accessor syncs and locks only a {@code FileChannel}). */
    SeekableByteChannel inner() {
        return channel;
    }

    /** Why a write was refused (the file is not what the partner meant to send); null while none was. */
    String refusal() {
        return refusal;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        if (channel.position() + source.remaining() > maxBytes) {
            FileTooLarge tooLarge = new FileTooLarge(name, maxBytes);
            refusal = tooLarge.getMessage();
            throw tooLarge;
        }
        return channel.write(source);
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        return channel.read(target);
    }

    @Override
    public long position() throws IOException {
        return channel.position();
    }

    @Override
    public SeekableByteChannel position(long position) throws IOException {
        channel.position(position);
        return this;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
        channel.truncate(size);
        return this;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
