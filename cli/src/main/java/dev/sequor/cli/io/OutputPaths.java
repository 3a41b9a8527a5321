package dev.sequor.cli.io;

import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsFile;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Checks made on a command's output paths before any training starts, so that a long run never ends
 * in "cannot write" or silently replaces a model that took hours to train.
 */
public final class OutputPaths {

    private OutputPaths() {
    }

    /**
     * Makes sure {@code dir} exists (creating it) and that a file can be created and deleted in it, by
     * creating and deleting a temporary file there.
     *
     * @param what what the directory is for, for the message ({@code "--out"})
     * @throws IllegalArgumentException naming the directory and the operating system's reason
     */
    public static void requireWritableDirectory(Path dir, String what) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".sequor-write-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + dir + ": cannot write there: " + reason(e), e);
        }
    }

    /**
     * Checks that checkpoint {@code file} can be written: not a directory, and its directory writable.
     *
     * @throws IllegalArgumentException naming the file and the operating system's reason
     */
    public static void requireWritableFile(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(what + " " + file + " is a directory; give a file name");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            requireWritableDirectory(dir, what + " " + file + " is in");
        }
    }

    /**
     * Refuses to replace an existing checkpoint by a new training run.
     *
     * @param hint what to do instead, appended to the message
     * @throws IllegalArgumentException naming the file and the kind of model it holds
     */
    public static void refuseOverwrite(Path file, String hint) {
        if (!Files.exists(file) || Files.isDirectory(file)) {
            return; // a directory is requireWritableFile's to report
        }
        throw new IllegalArgumentException("checkpoint " + file + " already exists and holds " + describe(file)
                + "; " + hint);
    }

    /** @return what {@code file} holds, for a message: a Sequor model's kind, or what else it is */
    static String describe(Path file) {
        SafeTensorsFile f;
        try {
            f = SafeTensors.read(file);
        } catch (IOException | RuntimeException e) {
            return "something that is not a safetensors checkpoint (" + e.getMessage() + ")";
        }
        String kind = f.metadata().get(Checkpoint.KIND);
        if (kind == null) {
            return "a safetensors file that is not a Sequor checkpoint (no '" + Checkpoint.KIND + "')";
        }
        // charlm records the step it reached, the demo the steps it ran
        String steps = f.metadata().getOrDefault("sequor.step", f.metadata().get("sequor.steps"));
        return "a '" + kind + "' model" + (steps == null ? "" : " trained for " + steps + " steps");
    }

    /** @return the operating system's reason for {@code e}, in words */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return "a path component is a file, not a directory";
        }
        return e.toString();
    }
}
