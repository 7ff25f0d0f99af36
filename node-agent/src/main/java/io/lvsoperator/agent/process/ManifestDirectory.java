package io.lvsoperator.agent.process;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.lvsoperator.api.manifest.ManifestReader;
import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A directory of manifests read file by file: each file's objects are kept with the file's stamp
 * (inode, size, modification and change times), and a later {@link #read} parses again only the
 * files whose stamp changed, the files named as changed (by the directory watch), and new files; a
 * file that is gone drops its objects. The result is what {@link ManifestReader#readDirectory}
 * returns for the same files (a file's problems are worded the same either way); only when two
 * files define the same object does it read the whole directory that way, so that problem reads
 * exactly as before. Not thread-safe.
 */
final class ManifestDirectory {

  /** What identifies one version of a file without reading it. */
  private record Stamp(Object inode, long size, Object modified, Object changed) {
    static Stamp of(Path file) throws IOException {
      Map<String, Object> a =
          Files.readAttributes(
              file, "unix:ino,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
      return new Stamp(
          a.get("ino"), (Long) a.get("size"), a.get("lastModifiedTime"), a.get("ctime"));
    }
  }

  private record Parsed(Stamp stamp, ManifestSet set) {}

  private final Path dir;
  private final Map<Path, Parsed> files = new HashMap<>();
  private int lastParsed;

  ManifestDirectory(Path dir) {
    this.dir = dir;
  }

  /** How many files the last {@link #read} parsed. */
  int lastParsed() {
    return lastParsed;
  }

  /** Forgets every file: the next {@link #read} parses all of them (SIGHUP). */
  void forget() {
    files.clear();
  }

  /**
   * The directory's objects and problems now.
   *
   * @param changed file names the caller knows changed (read again whatever their stamp)
   * @throws IOException when the directory or a file in it cannot be read
   */
  ManifestSet read(Collection<Path> changed) throws IOException {
    List<Path> names;
    try (Stream<Path> s = Files.list(dir)) {
      names =
          s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    }
    Set<Path> dirty = new HashSet<>();
    changed.forEach(c -> dirty.add(dir.resolve(c.getFileName())));
    Map<Path, Parsed> next = new HashMap<>();
    int parsed = 0;
    for (Path file : names) {
      Stamp stamp;
      try {
        stamp = Stamp.of(file);
      } catch (NoSuchFileException e) {
        continue; // removed since the listing: as if it had not been listed
      }
      Parsed before = files.get(file);
      if (before == null || !before.stamp().equals(stamp) || dirty.contains(file)) {
        before = new Parsed(stamp, ManifestReader.readFiles(List.of(file)));
        parsed++;
      }
      next.put(file, before);
    }
    files.clear();
    files.putAll(next);
    lastParsed = parsed;
    List<ManifestSet> sets = new ArrayList<>();
    for (Path file : names) {
      Parsed p = files.get(file);
      if (p != null) {
        sets.add(p.set());
      }
    }
    ManifestSet combined = combine(sets);
    // A file's problems read the same whether it is parsed alone or with the directory; only an
    // object defined in two files needs the whole directory, whose reader words that problem.
    return combined != null ? combined : ManifestReader.readDirectory(dir);
  }

  /** The sets of several files as one, or null when two of them define the same object. */
  private static ManifestSet combine(List<ManifestSet> sets) {
    List<VirtualServer> virtualServers = new ArrayList<>();
    List<RealServer> realServers = new ArrayList<>();
    List<Secret> secrets = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, String> origins = new HashMap<>();
    List<VrrpInstance> vrrpInstances = new ArrayList<>();
    for (ManifestSet s : sets) {
      for (var e : s.origins().entrySet()) {
        if (origins.putIfAbsent(e.getKey(), e.getValue()) != null) {
          return null;
        }
      }
      virtualServers.addAll(s.virtualServers());
      realServers.addAll(s.realServers());
      secrets.addAll(s.secrets());
      nodes.addAll(s.nodes());
      problems.addAll(s.problems());
      vrrpInstances.addAll(s.vrrpInstances());
    }
    return new ManifestSet(
        virtualServers, realServers, secrets, nodes, problems, origins, vrrpInstances);
  }
}
