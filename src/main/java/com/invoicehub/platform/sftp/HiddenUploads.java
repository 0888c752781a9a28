package com.invoicehub.platform.sftp;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file written through the partners' SFTP server takes its name only when the writer closes it: until then its
 * bytes go to a hidden file beside it ({@code .upload-<id>-<name>}, which no route reads), renamed over the name on
 * the client's own close. A transfer cut short (a node stopped mid-upload, a dropped connection, a crashed client)
 * never leaves a partial file that looks finished, which a node would otherwise ingest after its size stopped
 * changing, truncated last row and all; its hidden file is deleted when the session ends, or, if the node itself died,
 * by {@link #deleteAbandoned} once it has not been written to for a while. Only writes that replace
 * a file's content are hidden: an append or a write into an existing file (a resumed transfer) goes to the file.
 * Attributes set on an open upload reach the hidden file; a stat of an upload still open answers "no such file"
 * (MINA checks the name before asking this accessor), which common clients never ask.
 */
final class HiddenUploads implements SftpFileSystemAccessor, SftpEventListener {

    private static final Logger log = LoggerFactory.getLogger(HiddenUploads.class);
    private static final String PREFIX = ".upload-";
    private static final AttributeKey<Path> HIDDEN = new AttributeKey<>();
    private static final AttributeKey<Boolean> CLOSED_BY_CLIENT = new AttributeKey<>();

    private final Map<Path, Path> running = new ConcurrentHashMap<>();
    private final long maxFileBytes;

    /** @param maxFileBytes the largest file a write may make (the largest SFTP file the hub ingests) */
    HiddenUploads(long maxFileBytes) {
        this.maxFileBytes = maxFileBytes;
    }

    @Override
    public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
                                        Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        if (!replacesContent(file, options)) {
            SeekableByteChannel channel = SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle,
                    options, attrs);
            return writes(options) ? new BoundedFileChannel(channel, maxFileBytes, file.toString()) : channel;
        }
        if (options.contains(StandardOpenOption.CREATE_NEW) && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        Path hidden = file.resolveSibling(PREFIX + UUID.randomUUID() + "-" + file.getFileName());
        Set<OpenOption> hiddenOptions = new HashSet<>(options);
        hiddenOptions.remove(StandardOpenOption.TRUNCATE_EXISTING);
        hiddenOptions.remove(StandardOpenOption.CREATE);
        hiddenOptions.add(StandardOpenOption.CREATE_NEW);
        SeekableByteChannel channel = SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, hidden, handle,
                hiddenOptions, attrs);
        fileHandle.setAttribute(HIDDEN, hidden);
        running.put(file, hidden);
        return new BoundedFileChannel(channel, maxFileBytes, file.toString());
    }

    /** Only the client's own close (SSH_FXP_CLOSE) finishes an upload; a session's end discards it. */
    @Override
    public void closing(ServerSession session, String remoteHandle, Handle localHandle) {
        localHandle.setAttribute(CLOSED_BY_CLIENT, Boolean.TRUE);
    }

    @Override
    public void closeFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
                          Channel channel, Set<? extends OpenOption> options) throws IOException {
        Path hidden = fileHandle.getAttribute(HIDDEN);
        String refusal = channel instanceof BoundedFileChannel bounded ? bounded.refusal() : null;
        try {
            // Flushed to disk (the default accessor forces a FileChannel) before the file takes its name.
            SftpFileSystemAccessor.super.closeFile(subsystem, fileHandle, file, handle, unwrapped(channel), options);
        } finally {
            if (hidden != null) {
                running.remove(file, hidden);
                finish(fileHandle, file, hidden, refusal);
            }
        }
    }

    /**
     * A file refused in an inbox is answered where the contract answers a file refused whole: the reason in
     * {@code failed/<name>.error.txt} of the partner's home, beside the failed write the client already saw.
     */
    private static void tellInFailed(Path file, String refusal) {
        Path folder = file.getParent();
        if (folder == null || folder.getFileName() == null
                || !SftpHomes.INBOX.equals(folder.getFileName().toString())) {
            return;
        }
        Path failed = folder.resolveSibling(SftpHomes.FAILED);
        try {
            if (Files.isDirectory(failed)) {
                Files.writeString(failed.resolve(file.getFileName() + ".error.txt"), refusal + "\n");
            }
        } catch (IOException e) {
            log.warn("Could not write the refusal of {} beside it: {}", file, e.toString());
        }
    }

    @Override
    public java.nio.channels.FileLock tryLock(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file,
                                              String handle, Channel channel, long position, long size,
                                              boolean shared) throws IOException {
        return SftpFileSystemAccessor.super.tryLock(subsystem, fileHandle, file, handle, unwrapped(channel), position,
                size, shared);
    }

    private static Channel unwrapped(Channel channel) {
        return channel instanceof BoundedFileChannel bounded ? bounded.inner() : channel;
    }

    private static boolean writes(Set<? extends OpenOption> options) {
        return options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
    }

    private static void finish(FileHandle fileHandle, Path file, Path hidden, String refusal) throws IOException {
        if (refusal != null) {
            Files.deleteIfExists(hidden);
            log.warn("Upload of {} was refused as too large: discarded", file);
            tellInFailed(file, refusal);
            return;
        }
        if (!Boolean.TRUE.equals(fileHandle.getAttribute(CLOSED_BY_CLIENT))) {
            Files.deleteIfExists(hidden);
            log.warn("Upload of {} was cut short before the client closed it: discarded, the name was never shown",
                    file);
            return;
        }
        try {
            Files.move(hidden, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(hidden);
            throw e;
        }
    }

    /** Times and permissions set on an open upload (e.g. OpenSSH's {@code put -p}) go to the hidden file and so
     * come with it when it takes its name. */
    @Override
    public void setFileAttribute(SftpSubsystemProxy subsystem, Path file, String view, String attribute, Object value,
                                 LinkOption... options) throws IOException {
        SftpFileSystemAccessor.super.setFileAttribute(subsystem, uploading(file), view, attribute, value, options);
    }

    @Override
    public void setFilePermissions(SftpSubsystemProxy subsystem, Path file, Set<PosixFilePermission> permissions,
                                   LinkOption... options) throws IOException {
        SftpFileSystemAccessor.super.setFilePermissions(subsystem, uploading(file), permissions, options);
    }

    private Path uploading(Path file) {
        Path hidden = running.get(file);
        return hidden != null && !Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? hidden : file;
    }

    /**
     * Deletes hidden uploads under {@code homes} (partners' homes and their folders) not written to since
     * {@code before}: what a node killed mid-upload left behind, which no session will ever finish. Returns how many.
     */
    static int deleteAbandoned(Path homes, Instant before) throws IOException {
        if (!Files.isDirectory(homes)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> files = Files.walk(homes, 3)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(PREFIX)).toList()) {
                try {
                    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)
                            && Files.deleteIfExists(file)) {
                        deleted++;
                        log.info("Deleted {}: an upload abandoned before {}", homes.relativize(file), before);
                    }
                } catch (IOException e) {
                    log.warn("Could not delete the abandoned upload {}: {}", file, e.toString());
                }
            }
        }
        return deleted;
    }

    private static boolean replacesContent(Path file, Set<? extends OpenOption> options) {
        return options.contains(StandardOpenOption.WRITE) && !options.contains(StandardOpenOption.APPEND)
                && !options.contains(StandardOpenOption.READ)
                && (options.contains(StandardOpenOption.TRUNCATE_EXISTING)
                || options.contains(StandardOpenOption.CREATE_NEW) || !Files.exists(file, LinkOption.NOFOLLOW_LINKS));
    }
}
