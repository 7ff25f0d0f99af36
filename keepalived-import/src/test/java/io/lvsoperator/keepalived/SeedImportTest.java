package io.lvsoperator.keepalived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lvsoperator.keepalived.conf.Severity;
import io.lvsoperator.keepalived.manifest.ManifestMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seed guide's keepalived.conf, verbatim (lvs1), and its copy for the backup director (lvs2:
 * state BACKUP, priority 50) import into what examples/reference says: the same objects with the
 * same field values (comments aside).
 */
class SeedImportTest {
  private static final ManifestMapper.Options REFERENCE_NAMES =
      new ManifestMapper.Options(
          "default",
          Map.of("172.20.1.100:80", "web"),
          Map.of("172.20.1.10", "rs1", "172.20.1.11", "rs2"),
          Map.of());

  /**
   * The guide itself lives beside the repository (../shared/seed of the main checkout), not in it;
   * where it is at hand, the corpus copy must be its text verbatim.
   */
  @Test
  void theGuidesConfigIsTheGuidesTextVerbatim() throws Exception {
    Path guidePath =
        Stream.of("../../shared/seed", "../../../shared/seed")
            .map(d -> Path.of(d, "000_0e36ffa124cc3ed9.txt"))
            .filter(Files::exists)
            .findFirst()
            .orElse(null);
    assumeTrue(guidePath != null, "the seed guide is not beside this checkout");
    String guide = Files.readString(guidePath);
    String lvs1 = Files.readString(Corpus.file("seed/lvs1/keepalived.conf"));
    assertThat(guide).contains(lvs1.strip());
    assertThat(lvs1).contains("nb_get_retry 3", "nat_mask 255.255.0.0", "vrrp_strict");
    assertThat(lvs1.split("virtual_server 172.20.1.100 80 \\{", -1)).hasSize(3);
  }

  @Test
  void importsIntoExamplesReference() throws Exception {
    KeepalivedImport.Outcome outcome =
        Corpus.run(
            REFERENCE_NAMES, "lvs1=seed/lvs1/keepalived.conf", "lvs2=seed/lvs2/keepalived.conf");

    assertThat(Corpus.briefs(outcome, Severity.UNSUPPORTED)).isEmpty();
    Map<String, JsonNode> imported = Corpus.parsed(outcome.objects());
    Map<String, JsonNode> reference = Corpus.parsedDirectory(Path.of("../examples/reference"));
    assertThat(imported.keySet())
        .containsExactly(
            "RealServer/rs1", "RealServer/rs2", "Secret/vrrp-auth", "VirtualServer/web");
    assertThat(imported).isEqualTo(reference);
  }

  @Test
  void saysWhatItLeavesOutAndWhatKeepalivedComplainsAbout() {
    KeepalivedImport.Outcome outcome =
        Corpus.run(
            REFERENCE_NAMES, "lvs1=seed/lvs1/keepalived.conf", "lvs2=seed/lvs2/keepalived.conf");

    assertThat(Corpus.briefs(outcome, Severity.NOTE))
        .contains(
            "NOTE seed/lvs1/keepalived.conf:5 notification_email",
            "NOTE seed/lvs1/keepalived.conf:16 vrrp_strict",
            "NOTE seed/lvs1/keepalived.conf:17 vrrp_garp_interval",
            "NOTE seed/lvs1/keepalived.conf:33 auth_type",
            "NOTE seed/lvs1/keepalived.conf:53 nat_mask",
            "NOTE seed/lvs1/keepalived.conf:55 persistence_timeout",
            "NOTE seed/lvs1/keepalived.conf:72 nb_get_retry",
            "NOTE seed/lvs1/keepalived.conf:79 virtual_server",
            "NOTE seed/lvs2/keepalived.conf:83 nat_mask");
  }
}
