package io.lvsoperator.keepalived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.keepalived.conf.ConfigReader;
import io.lvsoperator.keepalived.conf.Diagnostic;
import io.lvsoperator.keepalived.conf.Statement;
import io.lvsoperator.keepalived.manifest.ManifestMapper;
import io.lvsoperator.keepalived.model.Keywords;
import io.lvsoperator.keepalived.model.Keywords.Block;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keepalived 2.2.7 itself ({@code keepalived -t}, in a network namespace that has eth0 and eth1) as
 * the oracle of what keepalived accepts: every line it complains about in a corpus file is a line
 * the import reports too; every line the import says keepalived rejects, keepalived complains about
 * (or it crashes); every keyword the import knows is one keepalived knows, in the same block.
 */
class KeepalivedOracleIT {
  private static final String NS = "kaimp" + ProcessHandle.current().pid();
  private static final String HOST_IF = "kai" + (ProcessHandle.current().pid() % 100000);
  private static final Pattern COMPLAINT = Pattern.compile("\\((?:([^():]+): )?Line (\\d+)\\)");

  @TempDir static Path tmp;

  @BeforeAll
  static void namespace() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/keepalived")), "needs keepalived (apt)");
    assumeTrue(isRoot(), "needs root for a network namespace");
    sh("ip", "netns", "add", NS);
    sh("ip", "link", "add", HOST_IF + "a", "type", "veth", "peer", "name", "eth0", "netns", NS);
    sh("ip", "link", "add", HOST_IF + "b", "type", "veth", "peer", "name", "eth1", "netns", NS);
    sh("ip", "-n", NS, "link", "set", "eth0", "up");
    sh("ip", "-n", NS, "link", "set", "eth1", "up");
  }

  @AfterAll
  static void cleanup() throws Exception {
    if (isRoot()) {
      run(List.of("ip", "link", "del", HOST_IF + "a"));
      run(List.of("ip", "link", "del", HOST_IF + "b"));
      run(List.of("ip", "netns", "del", NS));
    }
  }

  /** keepalived -t's output and exit status for one file. */
  record Check(int status, String output) {
    boolean crashed() {
      return status >= 128;
    }

    /** The "file:line" of each complaint, the file by its name only. */
    Set<String> lines(String mainFile) {
      Set<String> out = new TreeSet<>();
      Matcher m = COMPLAINT.matcher(output);
      while (m.find()) {
        String file = m.group(1) == null ? mainFile : Path.of(m.group(1)).getFileName().toString();
        out.add(file + ":" + m.group(2));
      }
      return out;
    }
  }

  private static Check keepalived(Path file, String configId) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("ip", "netns", "exec", NS, "/usr/sbin/keepalived", "-t"));
    if (configId != null) {
      cmd.addAll(List.of("-i", configId));
    }
    cmd.addAll(List.of("-f", file.toAbsolutePath().toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Check(p.exitValue(), out);
  }

  /** Every director file of the corpus, with the config id it is read with. */
  static Map<String, String> corpusFiles() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> s = Files.walk(Corpus.ROOT)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".conf")).sorted().toList()) {
        String rel = Corpus.ROOT.relativize(p).toString();
        boolean included =
            rel.contains("/common/") || rel.contains("/services/") || rel.contains("loop-");
        if (included) {
          continue;
        }
        if (rel.equals("includes/keepalived.conf")) {
          files.put("lvs1=" + rel, "lvs1");
          files.put("lvs2=" + rel, "lvs2");
        } else {
          files.put(rel, null);
        }
      }
    }
    return files;
  }

  @Test
  void everyLineKeepalivedComplainsAboutIsALineTheImportReports() throws Exception {
    List<String> problems = new ArrayList<>();
    for (var e : corpusFiles().entrySet()) {
      String spec = e.getKey();
      Path file = Corpus.file(spec.contains("=") ? spec.substring(spec.indexOf('=') + 1) : spec);
      Check k = keepalived(file, e.getValue());
      Set<String> ours = reportedLines(spec, file, e.getValue());
      for (String line : k.lines(file.getFileName().toString())) {
        if (!ours.contains(line)) {
          problems.add(
              spec
                  + ": keepalived complains about "
                  + line
                  + ", the import does not:\n"
                  + k.output);
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /**
   * The sample configurations keepalived ships (Debian: /usr/share/doc/keepalived/samples) are read
   * without a surprise: each imports or is refused with findings, never an exception, and every
   * line keepalived complains about (an interface this namespace lacks aside) the import reports.
   */
  @Test
  void theSamplesKeepalivedShipsAreReadLikeKeepalivedReadsThem() throws Exception {
    Path samples = Path.of("/usr/share/doc/keepalived/samples");
    assumeTrue(Files.isDirectory(samples), "keepalived's samples are not installed");
    List<String> problems = new ArrayList<>();
    int read = 0;
    try (Stream<Path> s = Files.list(samples)) {
      for (Path file :
          s.filter(f -> f.getFileName().toString().startsWith("keepalived.conf."))
              .sorted()
              .toList()) {
        read++;
        Check k = keepalived(file, null);
        KeepalivedImport.Outcome outcome =
            KeepalivedImport.run(
                List.of(new KeepalivedImport.Config("lvs1", file)),
                ManifestMapper.Options.defaults());
        Set<String> ours = linesOf(outcome, file, "lvs1");
        for (String line : k.lines(file.getFileName().toString())) {
          String text =
              k.output
                  .lines()
                  .filter(
                      l -> l.contains("Line " + line.substring(line.lastIndexOf(':') + 1) + ")"))
                  .findFirst()
                  .orElse("");
          if (!ours.contains(line)
              && !text.contains("doesn't exist")
              && !text.contains("deprecated")
              && !text.contains("Please use")) {
            problems.add(
                file.getFileName()
                    + ": keepalived complains about "
                    + line
                    + " ("
                    + text
                    + "), the import does not");
          }
        }
      }
    }
    assertThat(read).isGreaterThan(10);
    assertThat(problems).isEmpty();
  }

  @Test
  void whereTheImportSaysKeepalivedRejectsALineItDoes() throws Exception {
    List<String> problems = new ArrayList<>();
    int claims = 0;
    for (var e : corpusFiles().entrySet()) {
      String spec = e.getKey();
      Path file = Corpus.file(spec.contains("=") ? spec.substring(spec.indexOf('=') + 1) : spec);
      KeepalivedImport.Outcome outcome = Corpus.run(ManifestMapper.Options.defaults(), spec);
      Check k = keepalived(file, e.getValue());
      Set<String> theirs = k.lines(file.getFileName().toString());
      for (Diagnostic d : outcome.diagnostics()) {
        if (d.at() == null || !claimsKeepalivedAgrees(d.message())) {
          continue;
        }
        claims++;
        String line = Path.of(d.at().file()).getFileName() + ":" + d.at().line();
        boolean agrees =
            k.crashed()
                || theirs.contains(line)
                || theirs.contains(endOf(d, file))
                || d.message().contains("not closed") && k.output.contains("missing '}'s")
                || d.message().contains("Unknown keyword")
                    && k.output.contains("Unknown keyword '" + d.keyword() + "'");
        if (!agrees) {
          problems.add(
              spec
                  + ": the import says keepalived rejects "
                  + d
                  + ", keepalived says:\n"
                  + k.output);
        }
      }
    }
    assertThat(claims).as("claims checked").isGreaterThanOrEqualTo(8);
    assertThat(problems).isEmpty();
  }

  /** keepalived reports some block problems at the block's closing line. */
  private static String endOf(Diagnostic d, Path mainFile) {
    for (Statement s : allStatements(ConfigReader.read(mainFile, null).statements())) {
      if (s.at().equals(d.at()) && s.end() != null) {
        return Path.of(s.end().file()).getFileName() + ":" + s.end().line();
      }
    }
    return "";
  }

  private static List<Statement> allStatements(List<Statement> statements) {
    List<Statement> out = new ArrayList<>();
    for (Statement s : statements) {
      out.add(s);
      out.addAll(allStatements(s.children()));
    }
    return out;
  }

  private static boolean claimsKeepalivedAgrees(String message) {
    return message.contains("keepalived rejects it too")
        || message.contains("keepalived 2.2.7 rejects it too")
        || message.contains("keepalived 2.2.7 reports it as invalid too")
        || message.contains("keepalived 2.2.7 reports \"Unknown keyword\" too")
        || message.contains("keepalived 2.2.7 reports missing '}'s too")
        || message.contains("keepalived 2.2.7 ignores such a checker");
  }

  /**
   * The lines the import reports, each with the lines of its block: keepalived reports some block
   * problems at the closing brace or at a line inside the block.
   */
  private static Set<String> reportedLines(String spec, Path file, String configId) {
    return linesOf(Corpus.run(ManifestMapper.Options.defaults(), spec), file, configId);
  }

  private static Set<String> linesOf(KeepalivedImport.Outcome outcome, Path file, String configId) {
    Set<String> out = new HashSet<>();
    List<Statement> statements = allStatements(ConfigReader.read(file, configId).statements());
    for (Diagnostic d : outcome.diagnostics()) {
      if (d.at() == null) {
        continue;
      }
      String name = Path.of(d.at().file()).getFileName().toString();
      out.add(name + ":" + d.at().line());
      for (Statement s : statements) {
        if (s.at().equals(d.at()) && s.end() != null && s.end().file().equals(d.at().file())) {
          for (int line = d.at().line(); line <= s.end().line(); line++) {
            out.add(name + ":" + line);
          }
        }
      }
    }
    return out;
  }

  /** The checker settings a virtual_server, a real_server and a checker share. */
  private static final List<String> TIMING =
      List.of(
          "delay_loop",
          "connect_timeout",
          "retry",
          "delay_before_retry",
          "inhibit_on_failure",
          "virtualhost");

  /** The keywords the import maps itself, by block (the rest are in {@link Keywords}). */
  private static final Map<Block, List<String>> MAPPED =
      Map.of(
          Block.TOP,
          words("global_defs vrrp_instance vrrp_sync_group virtual_server_group virtual_server"),
          Block.GLOBAL_DEFS,
          words(
              "router_id vrrp_version vrrp_strict vrrp_garp_master_repeat vrrp_garp_master_delay"
                  + " vrrp_garp_master_refresh vrrp_garp_master_refresh_repeat vrrp_garp_interval"
                  + " vrrp_min_garp vrrp_mcast_group4 vrrp_down_timer_adverts lvs_sync_daemon"),
          Block.VRRP_INSTANCE,
          words(
              "state interface virtual_router_id priority advert_int version authentication"
                  + " virtual_ipaddress virtual_ipaddress_excluded unicast_src_ip unicast_peer"
                  + " track_interface nopreempt preempt preempt_delay accept no_accept"
                  + " garp_master_repeat garp_master_delay garp_master_refresh"
                  + " garp_master_refresh_repeat strict_mode notify_master notify_backup"
                  + " notify_fault notify_stop notify lvs_sync_daemon_interface"),
          Block.VRRP_SYNC_GROUP,
          words("group"),
          Block.VIRTUAL_SERVER,
          withTiming(
              "lvs_sched lb_algo lvs_method lb_kind protocol persistence_timeout"
                  + " persistence_granularity quorum hysteresis sorry_server sorry_server_lvs_method"
                  + " ip_family real_server"),
          Block.REAL_SERVER,
          withTiming("weight lvs_method HTTP_GET SSL_GET TCP_CHECK"),
          Block.CHECKER,
          words(
              "connect_port connect_ip nb_get_retry url delay_loop connect_timeout retry"
                  + " delay_before_retry virtualhost"),
          Block.URL,
          words("path status_code virtualhost regex"));

  private static List<String> words(String text) {
    return List.of(text.split(" "));
  }

  private static List<String> withTiming(String text) {
    List<String> out = new ArrayList<>(words(text));
    out.addAll(TIMING);
    return out;
  }

  @Test
  void everyKeywordTheImportKnowsKeepalivedKnowsInTheSameBlock() throws Exception {
    List<String> unknown = new ArrayList<>();
    int checked = 0;
    for (Block block : Block.values()) {
      Set<String> keywords = new TreeSet<>(Keywords.unmapped(block));
      keywords.addAll(MAPPED.get(block));
      for (String keyword : keywords) {
        if (keyword.equals("url")
            || keyword.endsWith("_CHECK")
            || keyword.equals("HTTP_GET")
            || keyword.equals("SSL_GET")
            || keyword.equals("real_server")) {
          continue; // blocks whose presence the corpus shows; a bare "KEYWORD 1" is not one
        }
        Path file = tmp.resolve(block + "-" + keyword.replace('/', '_') + ".conf");
        Files.writeString(file, context(block, keyword));
        Check k = keepalived(file, null);
        checked++;
        if (k.output.contains("Unknown keyword '" + keyword + "'")) {
          unknown.add(block + " " + keyword);
        }
      }
    }
    assertThat(checked).isGreaterThan(200);
    assertThat(unknown).isEmpty();
  }

  @Test
  void theKeywordsTheImportTreatsAsUnknownToKeepalivedAreUnknownToIt() throws Exception {
    for (String keyword : List.of("nat_mask", "prioritee", "lb_algoo")) {
      Path file = tmp.resolve("unknown-" + keyword + ".conf");
      Files.writeString(file, context(Block.VIRTUAL_SERVER, keyword));
      assertThat(keepalived(file, null).output).contains("Unknown keyword '" + keyword + "'");
    }
  }

  /** A small configuration with {@code keyword 1} in {@code block}. */
  private static String context(Block block, String keyword) {
    String line = keyword + " 1";
    String rs = "  real_server 10.0.0.2 80 {\n    TCP_CHECK {\n    }\n  }\n";
    return switch (block) {
      case TOP -> line + "\n";
      case GLOBAL_DEFS -> "global_defs {\n  " + line + "\n}\n";
      case VRRP_INSTANCE ->
          "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n  "
              + line
              + "\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n";
      case VRRP_SYNC_GROUP ->
          "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n"
              + "    10.0.0.1\n  }\n}\nvrrp_sync_group G {\n  group {\n    VI_1\n  }\n  "
              + line
              + "\n}\n";
      case VIRTUAL_SERVER ->
          "virtual_server 10.0.0.1 80 {\n  protocol TCP\n  " + line + "\n" + rs + "}\n";
      case REAL_SERVER ->
          "virtual_server 10.0.0.1 80 {\n  protocol TCP\n  real_server 10.0.0.2 80 {\n    "
              + line
              + "\n  }\n}\n";
      case CHECKER -> httpCheck("      " + line + "\n      url {\n        path /\n      }\n");
      case URL -> httpCheck("      url {\n        path /\n        " + line + "\n      }\n");
    };
  }

  private static String httpCheck(String inside) {
    return "virtual_server 10.0.0.1 80 {\n  protocol TCP\n  real_server 10.0.0.2 80 {\n"
        + "    HTTP_GET {\n"
        + inside
        + "    }\n  }\n}\n";
  }

  private static boolean isRoot() {
    try {
      Process p = new ProcessBuilder("id", "-u").start();
      return new String(p.getInputStream().readAllBytes()).strip().equals("0") && p.waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static void sh(String... cmd) throws Exception {
    int status = run(List.of(cmd));
    if (status != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited " + status);
    }
  }

  private static int run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }
}
