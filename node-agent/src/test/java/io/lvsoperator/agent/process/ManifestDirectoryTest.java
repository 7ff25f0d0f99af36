package io.lvsoperator.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.api.manifest.ManifestReader;
import io.lvsoperator.api.manifest.ManifestSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone mode's directory reader: only changed files are parsed, the result as a whole read.
 */
class ManifestDirectoryTest {

  private static String virtualServer(String name, String vip) {
    return """
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata: {name: %s, namespace: default}
        spec:
          vip: %s
          port: 80
          vrrp: {interface: eth0}
          directors: {nodes: [{name: lvs1}]}
          realServers: [{address: 10.0.0.10, port: 80}]
        """
        .formatted(name, vip);
  }

  private static List<String> names(ManifestSet set) {
    return set.virtualServers().stream().map(vs -> vs.getMetadata().getName()).sorted().toList();
  }

  @Test
  void parsesOnlyTheFilesThatChangedAndDropsTheObjectsOfADeletedFile(@TempDir Path dir)
      throws Exception {
    for (int i = 0; i < 5; i++) {
      Files.writeString(dir.resolve("vs" + i + ".yaml"), virtualServer("vs" + i, "10.1.0." + i));
    }
    ManifestDirectory files = new ManifestDirectory(dir);
    ManifestSet first = files.read(List.of());
    assertThat(files.lastParsed()).isEqualTo(5);
    assertThat(first).isEqualTo(ManifestReader.readDirectory(dir));

    assertThat(files.read(List.of())).isEqualTo(first);
    assertThat(files.lastParsed()).as("nothing changed").isZero();

    Files.writeString(dir.resolve("vs2.yaml"), virtualServer("vs2", "10.1.0.22"));
    Files.delete(dir.resolve("vs4.yaml"));
    Files.writeString(dir.resolve("vs9.yml"), virtualServer("vs9", "10.1.0.9"));
    ManifestSet changed = files.read(List.of());
    assertThat(files.lastParsed()).as("vs2 and vs9").isEqualTo(2);
    assertThat(names(changed)).containsExactly("vs0", "vs1", "vs2", "vs3", "vs9");
    assertThat(changed).isEqualTo(ManifestReader.readDirectory(dir));

    assertThat(files.read(List.of(Path.of("vs1.yaml")))).isEqualTo(changed);
    assertThat(files.lastParsed()).as("a file the watch names is read again").isEqualTo(1);
    files.forget();
    files.read(List.of());
    assertThat(files.lastParsed()).isEqualTo(5);
  }

  @Test
  void problemsReadExactlyAsAWholeDirectoryReadSaysThem(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.yaml"), virtualServer("web", "10.1.0.1"));
    Files.writeString(dir.resolve("b.yaml"), virtualServer("other", "10.1.0.2"));
    ManifestDirectory files = new ManifestDirectory(dir);
    files.read(List.of());

    Files.writeString(dir.resolve("b.yaml"), virtualServer("web", "10.1.0.2"));
    ManifestSet twice = files.read(List.of());

    assertThat(twice.problems())
        .singleElement()
        .asString()
        .contains("b.yaml document 1")
        .contains("is defined twice: first in " + dir.resolve("a.yaml") + " document 1");
    assertThat(twice).isEqualTo(ManifestReader.readDirectory(dir));
  }

  @Test
  void aBrokenFileIsReadAloneAndItsProblemReadsAsAWholeDirectoryReadSaysIt(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("a.yaml"), virtualServer("web", "10.1.0.1"));
    Files.writeString(dir.resolve("b.yaml"), virtualServer("other", "10.1.0.2"));
    Files.writeString(dir.resolve("c.yaml"), virtualServer("third", "10.1.0.3"));
    ManifestDirectory files = new ManifestDirectory(dir);
    files.read(List.of());

    Files.writeString(
        dir.resolve("b.yaml"), "kind: VirtualServer\nmetadata: {name: other}\nspec: [\n");
    ManifestSet broken = files.read(List.of());

    assertThat(files.lastParsed()).as("only the changed file is parsed").isEqualTo(1);
    assertThat(broken.problems()).singleElement().asString().contains("b.yaml");
    assertThat(broken).isEqualTo(ManifestReader.readDirectory(dir));
    files.read(List.of());
    assertThat(files.lastParsed()).as("nothing changed: nothing parsed").isZero();
  }
}
