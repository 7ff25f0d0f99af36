package io.lvsoperator.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit status, what is written, what is printed; never a stack trace. */
class ImportCommandTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ImportCommand.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static String corpus(String relative) {
    return Corpus.file(relative).toString();
  }

  private List<String> written(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesOneFilePerObjectAndExitsZero() throws Exception {
    Path outDir = tmp.resolve("out");
    int status =
        run(
            "--config",
            "lvs1=" + corpus("seed/lvs1/keepalived.conf"),
            "--config",
            "lvs2=" + corpus("seed/lvs2/keepalived.conf"),
            "--out",
            outDir.toString(),
            "--name",
            "172.20.1.100:80=web",
            "--real-server-node",
            "172.20.1.10=rs1",
            "--real-server-node",
            "172.20.1.11=rs2");

    assertThat(status).isZero();
    assertThat(written(outDir))
        .containsExactly(
            "realserver-rs1.yaml",
            "realserver-rs2.yaml",
            "secret-vrrp-auth.yaml",
            "virtualserver-web.yaml");
    assertThat(Files.readString(outDir.resolve("virtualserver-web.yaml")))
        .contains("  scheduler: rr                  # lb_algo rr (")
        .contains("seed/lvs1/keepalived.conf:49)");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("4 object(s) written to " + outDir);
    assertThat(err()).contains("note: ").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void unsupportedSettingsStopTheImportUnlessPartialIsAllowed() throws Exception {
    Path outDir = tmp.resolve("out");
    int status = run("--config", corpus("unsupported/keepalived.conf"), "--out", outDir.toString());

    assertThat(status).isEqualTo(3);
    assertThat(outDir).doesNotExist();
    assertThat(err())
        .contains(
            "unsupported: "
                + corpus("unsupported/keepalived.conf")
                + ":35: MISC_CHECK: not supported: script checks")
        .contains("--allow-partial writes the rest");

    status =
        run(
            "--config",
            corpus("unsupported/keepalived.conf"),
            "--out",
            outDir.toString(),
            "--allow-partial");

    assertThat(status).isZero();
    assertThat(written(outDir)).contains("virtualserver-vs-10-80-0-10-25.yaml");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("(partial: 7 setting(s) not imported)");
  }

  @Test
  void errorsWriteNothingEvenWhenPartialIsAllowed() {
    Path outDir = tmp.resolve("out");
    int status =
        run(
            "--config",
            corpus("bad/conflicting/lvs1.conf"),
            "--config",
            corpus("bad/conflicting/lvs2.conf"),
            "--out",
            outDir.toString(),
            "--allow-partial");

    assertThat(status).isEqualTo(1);
    assertThat(outDir).doesNotExist();
    assertThat(err())
        .contains(
            "error: "
                + corpus("bad/conflicting/lvs2.conf")
                + ":17: virtual_server 10.92.0.1:80/TCP: differs between directors: scheduler: rr (")
        .contains("5 error(s): nothing written");
  }

  @Test
  void refusesAnOutputDirectoryThatIsNotEmpty() throws Exception {
    Files.writeString(tmp.resolve("old.yaml"), "kind: VirtualServer\n");

    int status = run("--config", corpus("seed/lvs1/keepalived.conf"), "--out", tmp.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err()).contains("is not an empty directory");
    assertThat(written(tmp)).containsExactly("old.yaml");
  }

  @Test
  void commandLineMistakesAreUsageErrors() {
    List<Integer> statuses = new ArrayList<>();
    statuses.add(run("--out", tmp.toString()));
    statuses.add(run("--config", corpus("seed/lvs1/keepalived.conf")));
    statuses.add(run("--config"));
    statuses.add(
        run("--config", "LVS_1=" + corpus("seed/lvs1/keepalived.conf"), "--out", tmp.toString()));
    statuses.add(run("--frobnicate"));
    statuses.add(
        run("--config", "x.conf", "--out", tmp.toString(), "--fwmark-vip", "seven=10.0.0.1"));

    assertThat(statuses).containsOnly(2);
    assertThat(err())
        .contains("--config [NODE=]FILE is required")
        .contains("--out DIR is required")
        .contains("--config needs a value")
        .contains("LVS_1 is not a node name")
        .contains("unknown option --frobnicate")
        .contains("--fwmark-vip seven: not a firewall mark")
        .doesNotContain("Exception");
  }

  @Test
  void aConfigurationThatIsNotThereIsAnErrorNotAStackTrace() {
    int status =
        run(
            "--config",
            tmp.resolve("missing.conf").toString(),
            "--out",
            tmp.resolve("o").toString());

    assertThat(status).isEqualTo(1);
    assertThat(err()).contains("missing.conf: no such file").doesNotContain("Exception");
  }

  @Test
  void twoFilesForOneNodeAreAnError() {
    int status =
        run(
            "--config", corpus("seed/lvs1/keepalived.conf"),
            "--config", corpus("seed/lvs2/keepalived.conf"),
            "--out", tmp.resolve("o").toString());

    assertThat(status).isEqualTo(1);
    assertThat(err()).contains("are both node lvs-devel: name the nodes, --config NODE=FILE");
  }
}
