package io.lvsoperator.agent.nodeconfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lvsoperator.agent.statefile.StateFile;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last applied {@link NodeConfig} of a node on local disk, so that an agent restarted while the
 * API server is unreachable runs what it ran. One directory per node, {@code lvsnode-<node>}, mode
 * 0700: {@code head.json}, {@code passwords.json} (the VRRP passwords, hence 0700/0600) and one
 * file per slice under {@code slices/}. A write rewrites only the files whose part changed (one
 * changed slice: one file of at most about 128 KiB), each as a {@link StateFile} (write, fsync,
 * rename, fsync of the directory; 0600). An unreadable file is logged and left out.
 *
 * <p>Before slices, the cache was one file {@code lvsnode-<node>.json} holding the whole spec; it
 * is read when there is no directory yet, and removed after the first write.
 */
public final class NodeConfigCache {
  private static final Logger log = LoggerFactory.getLogger(NodeConfigCache.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OWNER_ONLY_DIR = "rwx------";

  private final Path dir;
  private final Path slicesDir;
  private final StateFile head;
  private final StateFile passwords;
  private final Path legacy;

  /** The head file: the LvsNode spec and its generation. */
  record HeadFile(long generation, LvsNodeSpec spec) {}

  /** A slice file: its name (file names are hashed when too long), generation and spec. */
  record SliceFile(String name, long generation, LvsNodeSliceSpec spec) {}

  /** The cache of node {@code node} under {@code cacheDir}. */
  public NodeConfigCache(Path cacheDir, String node) {
    this.dir = cacheDir.resolve("lvsnode-" + node);
    this.slicesDir = dir.resolve("slices");
    this.head = new StateFile(dir.resolve("head.json"));
    this.passwords = new StateFile(dir.resolve("passwords.json"));
    this.legacy = cacheDir.resolve("lvsnode-" + node + ".json");
  }

  public Path directory() {
    return dir;
  }

  /** The cached config, or null when there is none. */
  public NodeConfig read() {
    if (!Files.isDirectory(dir)) {
      return readLegacy();
    }
    try {
      byte[] h = head.readBytes();
      HeadFile headFile = h == null ? null : JSON.readValue(h, HeadFile.class);
      byte[] p = passwords.readBytes();
      Map<String, String> values =
          p == null ? Map.of() : JSON.readerForMapOf(String.class).readValue(p);
      TreeMap<String, NodeConfig.Slice> slices = new TreeMap<>();
      if (Files.isDirectory(slicesDir)) {
        try (Stream<Path> files = Files.list(slicesDir)) {
          for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
            try {
              SliceFile s = JSON.readValue(Files.readAllBytes(f), SliceFile.class);
              slices.put(s.name(), new NodeConfig.Slice(s.generation(), s.spec()));
            } catch (IOException e) {
              log.warn("event=cache_unreadable file={} error=\"{}\"", f, e.getMessage());
            }
          }
        }
      }
      if (headFile == null && slices.isEmpty()) {
        return null;
      }
      return new NodeConfig(
          headFile == null ? null : headFile.spec(),
          headFile == null ? 0 : headFile.generation(),
          slices,
          values);
    } catch (IOException e) {
      log.warn("event=cache_unreadable dir={} error=\"{}\"", dir, e.getMessage());
      return null;
    }
  }

  private NodeConfig readLegacy() {
    try {
      if (!Files.exists(legacy)) {
        return null;
      }
      HeadFile old = JSON.readValue(Files.readAllBytes(legacy), HeadFile.class);
      return new NodeConfig(old.spec(), old.generation(), new TreeMap<>(), Map.of());
    } catch (IOException e) {
      log.warn("event=cache_unreadable file={} error=\"{}\"", legacy, e.getMessage());
      return null;
    }
  }

  /**
   * Replaces the cached {@code before} (null: unknown, everything is written) with {@code after},
   * writing only the files whose part differs.
   */
  public void write(NodeConfig before, NodeConfig after) throws IOException {
    ownerOnlyDirectory(dir);
    if (before == null
        || before.headGeneration() != after.headGeneration()
        || !Objects.equals(before.head(), after.head())) {
      if (after.hasHead()) {
        head.write(JSON.writeValueAsBytes(new HeadFile(after.headGeneration(), after.head())));
      } else {
        head.delete();
      }
    }
    if (before == null || !before.passwords().equals(after.passwords())) {
      if (after.passwords().isEmpty()) {
        passwords.delete();
      } else {
        passwords.write(JSON.writeValueAsBytes(new TreeMap<>(after.passwords())));
      }
    }
    ownerOnlyDirectory(slicesDir);
    for (var e : after.slices().entrySet()) {
      NodeConfig.Slice old = before == null ? null : before.slices().get(e.getKey());
      if (!e.getValue().equals(old)) {
        new StateFile(sliceFile(e.getKey()))
            .write(
                JSON.writeValueAsBytes(
                    new SliceFile(e.getKey(), e.getValue().generation(), e.getValue().spec())));
      }
    }
    if (before == null) {
      // Unknown before: whatever else is there is stale.
      Set<Path> wanted = new HashSet<>();
      after.slices().keySet().forEach(name -> wanted.add(sliceFile(name)));
      try (Stream<Path> files = Files.list(slicesDir)) {
        for (Path f : files.toList()) {
          if (!wanted.contains(f)) {
            new StateFile(f).delete();
          }
        }
      }
    } else {
      for (String name : before.slices().keySet()) {
        if (!after.slices().containsKey(name)) {
          new StateFile(sliceFile(name)).delete();
        }
      }
    }
    new StateFile(legacy).delete();
  }

  /** The file of slice {@code name}: the name, or a hash of it when too long for a file name. */
  Path sliceFile(String name) {
    if (name.length() <= 200) {
      return slicesDir.resolve(name + ".json");
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return slicesDir.resolve(
          name.substring(0, 100) + "-" + HexFormat.of().formatHex(digest, 0, 16) + ".json");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Creates {@code d} with mode 0700, or narrows it to 0700 when it exists. */
  private static void ownerOnlyDirectory(Path d) throws IOException {
    Files.createDirectories(d);
    try {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(OWNER_ONLY_DIR));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to narrow
    }
  }
}
