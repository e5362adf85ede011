package io.tollgate.infra.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * A data folder that belongs to one JVM only (the tests' {@code target/test-data/<uuid>}): claimed with an operating
 * system lock on {@value #LOCK_FILE}, deleted when the JVM's services have stopped. The lock is released by the
 * kernel however the JVM ends (kill -9 included), so a folder whose lock can be taken belongs to a run that is
 * over: claiming a new folder deletes those, so a killed run's data does not stay behind either.
 */
final class RunDirectory {
    private static final Logger LOG = Logger.getLogger(RunDirectory.class);
    static final String LOCK_FILE = ".owner.lock";
    /** A folder without a lock file is an older layout's or one being created this instant: stale only when old. */
    static final Duration UNLOCKED_STALE_AFTER = Duration.ofMinutes(10);

    /** Held for the JVM's lifetime: closing (or collecting) the channel would release the lock. */
    private static FileChannel ownerChannel;
    private static FileLock ownerLock;

    private RunDirectory() {
    }

    /** Creates and locks {@code dir} for this JVM, then deletes the folders of finished runs next to it. */
    static synchronized void claim(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (ownerLock == null) {
            ownerChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ownerLock = ownerChannel.tryLock();
            if (ownerLock == null) {
                throw new IOException(dir + " belongs to another running process");
            }
        }
        deleteFinishedSiblings(dir);
    }

    private static void deleteFinishedSiblings(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent, Files::isDirectory)) {
            for (Path sibling : siblings) {
                if (!sibling.equals(dir.toAbsolutePath()) && isFinished(sibling)) {
                    LOG.infof("Deleting %s, left by an earlier run", sibling);
                    deleteTree(sibling);
                }
            }
        }
    }

    /** True when no living process holds the folder's lock. */
    static boolean isFinished(Path dir) throws IOException {
        Path lockFile = dir.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return Files.getLastModifiedTime(dir).toInstant().isBefore(Instant.now().minus(UNLOCKED_STALE_AFTER));
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it
        } catch (NoSuchFileException e) {
            return false; // being deleted by its owner right now
        }
    }

    /**
     * Deletes the service folders, then the run folder once nothing but its lock file is left in it (services
     * started from another class loader stop, and delete their own folders, in their own shutdown hook).
     */
    static void delete(Path runDir, Iterable<Path> serviceDirs) {
        try {
            for (Path serviceDir : serviceDirs) {
                deleteTree(serviceDir);
            }
            if (onlyLockLeft(runDir)) {
                deleteTree(runDir);
            }
        } catch (IOException e) {
            LOG.warnf("could not delete the run's data in %s (%s); the next run deletes it", runDir, e.toString());
        }
    }

    private static boolean onlyLockLeft(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().equals(LOCK_FILE)) {
                    return false;
                }
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // a server removed it while stopping
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
