package io.lvsoperator.agent.process;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lvsoperator.agent.node.NodeRuntime;
import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.compiler.CompileResult;
import io.lvsoperator.compiler.Compiler;
import io.lvsoperator.compiler.NodeInfo;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.RealServerResult;
import io.lvsoperator.compiler.VirtualServerResult;
import io.lvsoperator.compiler.VrrpInstanceResult;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a node from a directory of manifests: reads it, compiles this node's state with the shared
 * compiler, applies it, and does so again when the directory changes (or on SIGHUP).
 *
 * <p>A reload parses only the files that changed ({@link ManifestDirectory}); the compile is of the
 * whole set, and the node runtime applies only the difference.
 *
 * <p>Bad input never disturbs what runs: a file that cannot be read refuses the whole reload (its
 * objects would otherwise look deleted); an invalid object (VrrpInstance, VirtualServer or
 * RealServer) keeps running as its last good version while the others change.
 */
public final class StandaloneMode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StandaloneMode.class);

  private final Path dir;
  private final ManifestDirectory files;
  private final NodeInfo self;
  private final Map<String, List<String>> nodeAddresses;
  private final NodeRuntime runtime;
  private final Map<ObjectKey, VirtualServer> lastGood = new HashMap<>();
  private final Map<ObjectKey, RealServer> lastGoodRealServers = new HashMap<>();
  private final Map<ObjectKey, VrrpInstance> lastGoodVrrpInstances = new HashMap<>();
  private LvsNodeSpec applied;
  private long generation; // how many specs this process applied: the generation it reports
  private volatile WatchService watcher;
  private Thread watchThread;

  /** What one reload did. */
  public record Reload(boolean changed, List<String> errors, LvsNodeSpec spec) {}

  public StandaloneMode(
      Path dir, NodeInfo self, Map<String, List<String>> nodeAddresses, NodeRuntime runtime) {
    this.dir = dir;
    this.files = new ManifestDirectory(dir);
    this.self = self;
    this.nodeAddresses = Map.copyOf(nodeAddresses);
    this.runtime = runtime;
  }

  /** Reads the directory and applies this node's state if it changed. */
  public Reload reload() {
    return reload(List.of());
  }

  /**
   * Reads the files of the directory that changed since the last reload (by their stamp, and the
   * files in {@code changed}, which the directory watch names) and applies this node's state if it
   * changed. The other files' objects are kept from earlier reads.
   */
  public synchronized Reload reload(Collection<Path> changed) {
    long start = System.nanoTime();
    ManifestSet set;
    try {
      set = files.read(changed);
    } catch (IOException e) {
      String error = "manifests=" + dir + " unreadable: " + e.getMessage();
      log.error("event=reload_refused reason=\"{}\"", error);
      return new Reload(false, List.of(error), applied);
    }
    if (!set.problems().isEmpty()) {
      for (String p : set.problems()) {
        log.error("event=reload_refused manifest_error=\"{}\"", p);
      }
      return new Reload(false, set.problems(), applied);
    }
    long read = System.nanoTime();
    CompileResult result =
        Compiler.compile(
            StandaloneInputs.from(
                set,
                self,
                nodeAddresses,
                Map.copyOf(lastGood),
                Map.copyOf(lastGoodRealServers),
                Map.copyOf(lastGoodVrrpInstances)));
    keepLastGood(set, result);
    List<String> errors = errors(set, result);
    errors.forEach(e -> log.error("event=object_rejected error=\"{}\"", e));
    LvsNodeSpec spec = result.nodes().getOrDefault(self.name(), LvsNodeSpec.empty());
    long compiled = System.nanoTime();
    if (Objects.equals(spec, applied)) {
      log.info(
          "event=reload_unchanged node={} files_parsed={} read_ms={} compile_ms={}",
          self.name(),
          files.lastParsed(),
          millis(start, read),
          millis(read, compiled));
      return new Reload(false, errors, spec);
    }
    log.info(
        "event=reload_apply node={} vrrp_instances={} ipvs_services={} loopback_vips={}",
        self.name(),
        spec.vrrpInstances().size(),
        spec.ipvsServices().size(),
        spec.realServerVips().size());
    runtime.apply(spec, ++generation);
    applied = spec;
    log.info(
        "event=reload_applied node={} files_parsed={} read_ms={} compile_ms={} apply_ms={}",
        self.name(),
        files.lastParsed(),
        millis(start, read),
        millis(read, compiled),
        millis(compiled, System.nanoTime()));
    return new Reload(true, errors, spec);
  }

  private static long millis(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }

  /** Reads every file again, whatever its stamp (SIGHUP), and applies what changed. */
  public synchronized Reload reloadAll() {
    files.forget();
    return reload(List.of());
  }

  /**
   * Remembers the version of each object that compiled, so that a later bad edit of it keeps that
   * version running; forgets the objects that are gone.
   */
  private void keepLastGood(ManifestSet set, CompileResult result) {
    remember(lastGood, set.virtualServers(), result.virtualServers(), r -> r.errors().isEmpty());
    remember(
        lastGoodRealServers, set.realServers(), result.realServers(), r -> r.errors().isEmpty());
    remember(
        lastGoodVrrpInstances,
        set.vrrpInstances(),
        result.vrrpInstances(),
        r -> r.errors().isEmpty());
  }

  private static <T extends HasMetadata, R> void remember(
      Map<ObjectKey, T> kept, List<T> current, Map<ObjectKey, R> verdicts, Predicate<R> compiled) {
    Map<ObjectKey, T> byKey = new HashMap<>();
    current.forEach(o -> byKey.put(ObjectKey.of(o), o));
    kept.keySet().retainAll(byKey.keySet());
    verdicts.forEach(
        (key, verdict) -> {
          if (compiled.test(verdict) && byKey.containsKey(key)) {
            kept.put(key, byKey.get(key));
          }
        });
  }

  /**
   * Every error and conflict of the compile, each prefixed with the file and object it is about.
   */
  static List<String> errors(ManifestSet set, CompileResult result) {
    List<String> errors = new ArrayList<>();
    for (VrrpInstanceResult r : result.vrrpInstances().values()) {
      String vi = where(set, "VrrpInstance", r.key());
      r.errors().forEach(e -> errors.add(vi + ": " + e));
      r.conflicts().forEach(c -> errors.add(vi + ": conflict " + c));
    }
    for (VirtualServerResult r : result.virtualServers().values()) {
      String vs = where(set, "VirtualServer", r.key());
      r.errors().forEach(e -> errors.add(vs + ": " + e));
      r.conflicts().forEach(c -> errors.add(vs + ": conflict " + c));
    }
    for (RealServerResult r : result.realServers().values()) {
      String rs = where(set, "RealServer", r.key());
      r.errors().forEach(e -> errors.add(rs + ": " + e));
    }
    return errors;
  }

  private static String where(ManifestSet set, String kind, ObjectKey key) {
    return set.originPrefix(kind, key.namespace(), key.name()) + kind + " " + key;
  }

  /** A reload whose failure is logged, never thrown: the watcher must outlive one bad apply. */
  public void reloadLogged() {
    reloadLogged(this::reloadAll);
  }

  private void reloadLogged(Runnable reload) {
    try {
      reload.run();
    } catch (RuntimeException e) {
      log.error("event=reload_failed error=\"{}\"", e.toString(), e);
    }
  }

  /** Watches the directory on a daemon thread; changes settle for {@code settleMillis} first. */
  public void watch(long settleMillis) throws IOException {
    watcher = FileSystems.getDefault().newWatchService();
    dir.register(
        watcher,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    watchThread =
        Thread.ofPlatform()
            .daemon()
            .name("manifest-watch")
            .start(
                () -> {
                  try {
                    while (true) {
                      var key = watcher.take();
                      // Editors write in several steps: let them finish, then read once.
                      Thread.sleep(settleMillis);
                      Set<Path> changed = new HashSet<>();
                      while (true) {
                        for (var event : key.pollEvents()) {
                          if (event.context() instanceof Path p) {
                            changed.add(p);
                          }
                        }
                        key.reset();
                        key = watcher.poll(settleMillis, TimeUnit.MILLISECONDS);
                        if (key == null) {
                          break;
                        }
                      }
                      reloadLogged(() -> reload(changed));
                    }
                  } catch (InterruptedException | ClosedWatchServiceException e) {
                    // closing
                  }
                });
  }

  @Override
  public void close() throws IOException {
    if (watcher != null) {
      watcher.close();
    }
    if (watchThread != null) {
      watchThread.interrupt();
    }
  }
}
