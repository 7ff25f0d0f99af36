package io.lvsoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeApiServerBinariesTest {
  private static final String SUFFIX = "-linux-amd64";

  @Test
  void noDirectoryMeansMissingAndSaysWhereToPutThem(@TempDir Path dir) {
    KubeApiServerBinaries found = KubeApiServerBinaries.find(dir, SUFFIX);
    assertThat(found.present()).isFalse();
    assertThat(found.missing())
        .contains(dir.resolve("k8s") + "/<version>-linux-amd64/")
        .contains("KUBE_API_TEST_DIR");
  }

  @Test
  void theNewestCompleteVersionForThisPlatformIsChosen(@TempDir Path dir) throws Exception {
    install(dir.resolve("k8s/1.9.0" + SUFFIX), "kube-apiserver", "etcd", "kubectl");
    install(dir.resolve("k8s/1.31.2" + SUFFIX), "kube-apiserver", "etcd", "kubectl");
    install(dir.resolve("k8s/1.40.0-darwin-arm64"), "kube-apiserver", "etcd", "kubectl");
    KubeApiServerBinaries found = KubeApiServerBinaries.find(dir, SUFFIX);
    assertThat(found.present()).as(found.missing()).isTrue();
    assertThat(found.version(SUFFIX)).isEqualTo("1.31.2");
  }

  @Test
  void aVersionLackingABinaryIsMissingAndNamesIt(@TempDir Path dir) throws Exception {
    install(dir.resolve("k8s/1.32.0" + SUFFIX), "kube-apiserver", "etcd");
    Files.writeString(dir.resolve("k8s/1.32.0" + SUFFIX + "/kubectl"), "not executable");
    KubeApiServerBinaries found = KubeApiServerBinaries.find(dir, SUFFIX);
    assertThat(found.present()).isFalse();
    assertThat(found.missing()).endsWith("lacks executable kubectl");
  }

  @Test
  void theDirectoryComesFromKubeApiTestsOwnVariable(@TempDir Path dir) {
    KubeApiServerBinaries found =
        KubeApiServerBinaries.find(Map.of("KUBE_API_TEST_DIR", dir.toString()));
    assertThat(found.testDir()).isEqualTo(dir);
  }

  private static void install(Path version, String... binaries) throws Exception {
    Files.createDirectories(version);
    for (String b : binaries) {
      Path f = Files.writeString(version.resolve(b), "#!/bin/sh\n");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
