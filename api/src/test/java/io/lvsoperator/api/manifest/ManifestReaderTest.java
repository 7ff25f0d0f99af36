package io.lvsoperator.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the reader does beyond single documents: files, sizes, encodings, several files. */
class ManifestReaderTest {
  private static final String VS =
      """
      apiVersion: lvsoperator.io/v1alpha1
      kind: VirtualServer
      metadata: {name: %s, namespace: default}
      spec:
        vip: 10.0.0.100
        port: 80
        directors: {nodes: [{name: lvs1}]}
      """;

  @TempDir Path dir;

  @Test
  void theReferenceExamplesReadWithoutProblems() throws IOException {
    ManifestSet set = ManifestReader.readDirectory(Path.of("..", "examples", "reference"));

    assertThat(set.problems()).isEmpty();
    assertThat(set.virtualServers()).hasSize(1);
    assertThat(set.realServers()).hasSize(2);
    assertThat(set.secrets()).hasSize(1);
  }

  @Test
  void aFileOverTheLimitIsRefusedUnreadWhateverItHolds() throws IOException {
    for (int megabytes : new int[] {4, 16}) {
      Path f = dir.resolve("huge-" + megabytes + ".yaml");
      String header = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {a: \"";
      try (var out = Files.newBufferedWriter(f)) {
        out.write(header);
        String chunk = "a".repeat(1 << 16);
        for (int i = 0; i < megabytes * 16; i++) {
          out.write(chunk);
        }
        out.write("\"}\n");
      }
      long size = Files.size(f);

      long start = System.nanoTime();
      ManifestSet set = ManifestReader.readFiles(List.of(f));
      System.out.printf(
          "huge scalar: %d bytes refused in %.1f ms%n", size, (System.nanoTime() - start) / 1e6);

      assertThat(set.problems())
          .containsExactly(
              f
                  + ": "
                  + size
                  + " bytes is more than the 1048576 a manifest file may hold; split it into"
                  + " several files");
      assertThat(set.secrets()).isEmpty();
    }
  }

  @Test
  void aFileAtTheLimitIsRead() throws IOException {
    Path f = dir.resolve("big.yaml");
    String head = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {a: \"";
    String tail = "\"}\n";
    Files.writeString(
        f, head + "a".repeat(ManifestReader.MAX_FILE_BYTES - head.length() - tail.length()) + tail);

    ManifestSet set = ManifestReader.readFiles(List.of(f));

    assertThat(Files.size(f)).isEqualTo(ManifestReader.MAX_FILE_BYTES);
    assertThat(set.problems()).isEmpty();
    assertThat(set.secrets()).hasSize(1);
  }

  @Test
  void textOverTheLimitIsRefused() {
    ManifestSet set =
        ManifestReader.readString(
            "inline", "a: \"" + "b".repeat(ManifestReader.MAX_FILE_BYTES) + "\"");

    assertThat(set.problems())
        .containsExactly(
            "inline: 1048581 bytes is more than the 1048576 a manifest file may hold; split it into"
                + " several files");
  }

  @Test
  void bytesThatAreNotUtf8AreAProblemNotAnException() throws IOException {
    Path f = dir.resolve("binary.yaml");
    byte[] text = VS.formatted("web").getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[text.length + 2];
    System.arraycopy(text, 0, bad, 0, text.length);
    bad[text.length] = (byte) 0xc3; // a UTF-8 lead byte without its continuation
    bad[text.length + 1] = (byte) 0x28;
    Files.write(f, bad);

    ManifestSet set = ManifestReader.readFiles(List.of(f));

    assertThat(set.problems()).containsExactly(f + ": is not UTF-8 text");
    assertThat(set.virtualServers()).isEmpty();
  }

  @Test
  void theSameObjectInTwoFilesIsRefusedInTheSecondAndTheFirstIsKept() throws IOException {
    Path a = Files.writeString(dir.resolve("a.yaml"), VS.formatted("web"));
    Path b =
        Files.writeString(
            dir.resolve("b.yaml"), VS.formatted("other") + "---\n" + VS.formatted("web"));

    ManifestSet set = ManifestReader.readDirectory(dir);

    assertThat(set.problems())
        .containsExactly(
            b
                + " document 2: VirtualServer default/web: metadata.name: web is defined twice:"
                + " first in "
                + a
                + " document 1");
    assertThat(set.virtualServers())
        .extracting(v -> v.getMetadata().getName())
        .containsExactly("web", "other");
    assertThat(set.originPrefix("VirtualServer", "default", "web")).isEqualTo(a + " document 1: ");
  }

  @Test
  void documentsAreNumberedAsWrittenCountingEmptyOnes() {
    String text =
        "# a comment before the first separator\n---\n---\n# only a comment\n---\n"
            + VS.formatted("web").replace("port: 80", "port: 80.5");

    ManifestSet set = ManifestReader.readString("f.yaml", text);

    assertThat(set.problems())
        .containsExactly(
            "f.yaml document 3: VirtualServer default/web: spec.port: 80.5 is not an integer");
  }

  @Test
  void anAnchorWithoutAliasChangesNothingAndIsAccepted() {
    ManifestSet set =
        ManifestReader.readString(
            "f.yaml", VS.formatted("web").replace("vip: 10.0.0.100", "vip: &v 10.0.0.100"));

    assertThat(set.problems()).isEmpty();
    assertThat(set.virtualServers().getFirst().getSpec().vip()).isEqualTo("10.0.0.100");
  }

  @Test
  void aFileOfManyProblemsReportsTheFirstTwentyAndCountsTheRest() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      text.append(VS.formatted("web" + i).replace("port: 80", "port: 80\n  port: 81"))
          .append("---\n");
    }

    ManifestSet set = ManifestReader.readString("f.yaml", text.toString());

    assertThat(set.problems()).hasSize(21);
    assertThat(set.problems().get(0))
        .isEqualTo(
            "f.yaml document 1: VirtualServer default/web0: spec.port: 81 repeats a key of the same"
                + " mapping (first 80); YAML keys must be unique");
    assertThat(set.problems().get(20)).isEqualTo("f.yaml: 30 more problems not shown");
    assertThat(set.virtualServers()).isEmpty();
  }

  @Test
  void secretDataInBase64WithLineBreaksAndNodesWithHostnamesAreAccepted() {
    ManifestSet set =
        ManifestReader.readString(
            "f.yaml",
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: s, namespace: default}
            data:
              password: |
                MTEx
                MQ==
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: lvs1}
            status:
              addresses:
                - {type: Hostname, address: lvs1}
                - {type: InternalIP, address: 172.20.1.1}
            """);

    assertThat(set.problems()).isEmpty();
    assertThat(set.secrets()).hasSize(1);
    assertThat(set.nodes()).hasSize(1);
  }

  @Test
  void anIpAddressOfNodeIsADottedQuadNotAShortForm() {
    ManifestSet set =
        ManifestReader.readString(
            "f.yaml",
            """
            apiVersion: v1
            kind: Node
            metadata: {name: lvs1}
            status: {addresses: [{type: InternalIP, address: "10.1"}]}
            """);

    assertThat(set.problems())
        .containsExactly(
            "f.yaml document 1: Node lvs1: status.addresses[0].address: 10.1 is not an IP address"
                + " (type InternalIP)");
  }

  @Test
  void longValuesAreCutInMessages() {
    String name = "a".repeat(300);

    ManifestSet set = ManifestReader.readString("f.yaml", VS.formatted(name));

    assertThat(set.problems())
        .containsExactly(
            "f.yaml document 1: VirtualServer default/"
                + "a".repeat(64)
                + "... (300 characters): metadata.name: "
                + "a".repeat(64)
                + "... (300 characters) is not a DNS-1123 name (lower case letters, digits, '-' and"
                + " '.', at most 253)");
  }
}
