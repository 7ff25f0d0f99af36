package io.lvsoperator.agent.statefile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One state file. {@link #write} replaces it as a unit that survives a power loss: the new content
 * goes to a temporary file in the same directory, which is fsync'd, renamed over the old one, and
 * then the directory is fsync'd so the rename itself is on disk (a rename alone can reach the disk
 * before the data it names, leaving an empty file after a crash). Files are 0600: the Kubernetes
 * cache holds PASS passwords. {@link #readLines} skips and reports a line its parser refuses, so
 * one damaged line never makes the agent fail every later apply.
 */
public final class StateFile {
  private static final Logger log = LoggerFactory.getLogger(StateFile.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path path;

  public StateFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  @Override
  public String toString() {
    return path.toString();
  }

  /** Parses one line of a state file; throws (any exception) when the line is not one. */
  @FunctionalInterface
  public interface LineParser<T> {
    T parse(String line) throws Exception;
  }

  /** Replaces the file with {@code lines}, each ended by a newline. */
  public void writeLines(List<String> lines) throws IOException {
    StringBuilder b = new StringBuilder();
    lines.forEach(l -> b.append(l).append('\n'));
    write(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces the file with {@code content}: write, fsync, rename, fsync the directory. */
  public void write(byte[] content) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
    try {
      ownerOnly(temp);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Removes the file, if there is one, and fsyncs the directory, so that a removal is as durable as
   * a write: after a power loss a removed file does not come back.
   */
  public void delete() throws IOException {
    if (Files.deleteIfExists(path)) {
      syncDirectory(path.toAbsolutePath().getParent());
    }
  }

  /** The whole file, or null when there is none. */
  public byte[] readBytes() throws IOException {
    return Files.exists(path) ? Files.readAllBytes(path) : null;
  }

  /**
   * Every line that {@code parser} accepts, in order; blank lines and {@code #} comments are
   * skipped silently, a line it refuses is logged ({@code event=state_file_bad_line}) and skipped.
   * No file: nothing.
   */
  public <T> List<T> readLines(LineParser<T> parser) throws IOException {
    List<T> out = new ArrayList<>();
    if (!Files.exists(path)) {
      return out;
    }
    List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      try {
        out.add(parser.parse(line.strip()));
      } catch (Exception e) {
        log.warn(
            "event=state_file_bad_line file={} line_number={} line=\"{}\" error=\"{}\"",
            path,
            i + 1,
            escaped(line),
            escaped(String.valueOf(e.getMessage())));
      }
    }
    return out;
  }

  /** fsync of a directory: its entries (the rename) reach the disk. */
  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (FileSystemException e) {
      // A file system that cannot open a directory for reading has no such step to take.
      log.debug("event=state_dir_sync_unsupported dir={} error=\"{}\"", dir, e.getMessage());
    }
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to restrict
    }
  }

  /** A line as a log shows it: control characters escaped, at most 200 characters. */
  private static String escaped(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c) : c);
    }
    return s.length() > 200 ? b + "..." : b.toString();
  }
}
