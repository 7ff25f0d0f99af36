package io.lvsoperator.operator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where Fabric8's kube-api-test finds the binaries of a real API server: {@code
 * DIR/k8s/VERSION-linux-amd64/} holding {@code kube-apiserver}, {@code etcd} and {@code kubectl}
 * (the layout of the envtest archives), DIR being {@code KUBE_API_TEST_DIR} or {@code
 * ~/.kubeapitest}. Looked up here first so a machine without them skips with a reason instead of
 * trying a download.
 */
record KubeApiServerBinaries(Path testDir, Optional<Path> versionDir, String missing) {

  /** Set to {@code true} where the binaries must be present: a missing binary then fails. */
  static final String REQUIRED_ENV = "LVS_KUBE_API_SERVER_REQUIRED";

  static final List<String> BINARIES = List.of("kube-apiserver", "etcd", "kubectl");

  static KubeApiServerBinaries find(Map<String, String> env) {
    Path dir =
        Path.of(
            env.getOrDefault(
                "KUBE_API_TEST_DIR",
                Path.of(System.getProperty("user.home"), ".kubeapitest").toString()));
    return find(dir, platformSuffix());
  }

  static KubeApiServerBinaries find(Path testDir, String platformSuffix) {
    Path versions = testDir.resolve("k8s");
    List<Path> candidates;
    try (Stream<Path> list = Files.isDirectory(versions) ? Files.list(versions) : Stream.empty()) {
      candidates =
          list.filter(p -> p.getFileName().toString().endsWith(platformSuffix))
              .sorted(NEWEST_FIRST)
              .toList();
    } catch (IOException e) {
      return new KubeApiServerBinaries(
          testDir, Optional.empty(), "cannot list " + versions + ": " + e);
    }
    if (candidates.isEmpty()) {
      return new KubeApiServerBinaries(
          testDir,
          Optional.empty(),
          "no kube-apiserver, etcd and kubectl under "
              + versions
              + "/<version>"
              + platformSuffix
              + "/ (set KUBE_API_TEST_DIR, or unpack an envtest archive there)");
    }
    Path newest = candidates.getFirst();
    List<String> absent =
        BINARIES.stream().filter(b -> !Files.isExecutable(newest.resolve(b))).toList();
    if (!absent.isEmpty()) {
      return new KubeApiServerBinaries(
          testDir, Optional.empty(), newest + " lacks executable " + String.join(", ", absent));
    }
    return new KubeApiServerBinaries(testDir, Optional.of(newest), "");
  }

  boolean present() {
    return versionDir.isPresent();
  }

  /** The version kube-api-test is to run: the directory name without the platform suffix. */
  String version(String platformSuffix) {
    String name = versionDir.orElseThrow().getFileName().toString();
    return name.substring(0, name.length() - platformSuffix.length());
  }

  static String platformSuffix() {
    return "-" + os() + "-" + arch();
  }

  private static final Comparator<Path> NEWEST_FIRST =
      (a, b) -> {
        List<Integer> x = versionNumbers(a);
        List<Integer> y = versionNumbers(b);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
          int c = Integer.compare(y.get(i), x.get(i));
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(y.size(), x.size());
      };

  /** 1.32.0-linux-amd64 -> [1, 32, 0]. */
  private static List<Integer> versionNumbers(Path dir) {
    String name = dir.getFileName().toString();
    String numbers = name.replaceAll("^[^0-9]*", "").replaceAll("[^0-9.].*$", "");
    return Stream.of(numbers.split("\\.")).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
  }

  private static String os() {
    String name = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    return name.contains("win") ? "windows" : name.contains("mac") ? "darwin" : "linux";
  }

  private static String arch() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "aarch64" -> "arm64";
      case "x86_64", "amd64" -> "amd64";
      default -> arch;
    };
  }
}
