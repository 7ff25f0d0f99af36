package io.lvsoperator.keepalived.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** keepalived's lexical rules, includes, conditional lines and parameters, case by case. */
class ConfigReaderTest {
  @TempDir Path dir;

  /** A configuration, the config id, and the statements as "line: keyword [args] {" lines. */
  record Case(String name, String text, String configId, List<String> statements) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "comments with # and ! anywhere, escaped with a backslash",
            "! a comment\nrouter_id lvs1 # the id\nsmtp_server 10.0.0.1 ! mail\nx a\\#b c\\!d\n",
            null,
            List.of("2: router_id [lvs1]", "3: smtp_server [10.0.0.1]", "4: x [a#b, c!d]")),
        new Case(
            "a quoted string is one word; # and braces inside quotes are text",
            "notify_master \"/bin/notify.sh master #1 {x}\" root\n",
            null,
            List.of("1: notify_master [/bin/notify.sh master #1 {x}, root]")),
        new Case(
            "braces stand alone: a block on one line, and a brace on the next line",
            "url { path / }\nvirtual_server 10.0.0.1 80\n{\n  lb_algo rr\n}\n",
            null,
            List.of(
                "1: url [] {",
                "1:   path [/]",
                "2: virtual_server [10.0.0.1, 80] {",
                "4:   lb_algo [rr]")),
        new Case(
            "conditional lines: @ID kept for that config id, @^ID for every other",
            "@lvs1 priority 150\n@lvs2 priority 100\n@^lvs1 state BACKUP\n@^lvs2 state MASTER\n",
            "lvs1",
            List.of("1: priority [150]", "4: state [MASTER]")),
        new Case(
            "parameters: $NAME and ${NAME}, defined before use, undefined ones kept",
            "$IP=10.0.0.7\n$PORT = 80\nvirtual_server $IP ${PORT}\nx ${IP}/24 $NOPE\n",
            null,
            List.of("3: virtual_server [10.0.0.7, 80]", "4: x [10.0.0.7/24, $NOPE]")),
        new Case(
            "predefined parameters: ${_INSTANCE}, ${_HASH}, ${_BANG}",
            "router_id ${_INSTANCE}\nx ${_HASH}${_BANG}\n",
            "lvs2",
            List.of("1: router_id [lvs2]", "2: x [#!]")),
        new Case(
            "CRLF line ends and blank lines",
            "a 1\r\n\r\n   \r\nb 2\r\n",
            null,
            List.of("1: a [1]", "4: b [2]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reads(Case c) throws IOException {
    Path file = dir.resolve("keepalived.conf");
    Files.writeString(file, c.text);

    ConfigReader.Result r = ConfigReader.read(file, c.configId);

    assertThat(r.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR)).isEmpty();
    assertThat(flatten(r.statements(), "")).isEqualTo(c.statements);
  }

  /** A configuration that must fail, and the "line keyword" of the error(s). */
  record Bad(String name, Map<String, String> files, List<String> errors) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Bad> badCases() {
    return Stream.of(
        new Bad(
            "an unterminated quote",
            Map.of("keepalived.conf", "router_id \"lvs1\nx 1\n"),
            List.of("keepalived.conf:1 ")),
        new Bad(
            "a block that is not closed",
            Map.of("keepalived.conf", "vrrp_instance VI_1 {\n  state MASTER\n"),
            List.of("keepalived.conf:1 vrrp_instance")),
        new Bad(
            "a '}' that closes nothing",
            Map.of("keepalived.conf", "a 1\n}\n"),
            List.of("keepalived.conf:2 }")),
        new Bad(
            "include loop through two files",
            Map.of(
                "keepalived.conf",
                "include a.conf\n",
                "a.conf",
                "x 1\ninclude b.conf\n",
                "b.conf",
                "include a.conf\n"),
            List.of("b.conf:1 include")),
        new Bad(
            "a file that includes itself",
            Map.of("keepalived.conf", "include keepalived.conf\n"),
            List.of("keepalived.conf:1 include")),
        new Bad(
            "an include that matches nothing",
            Map.of("keepalived.conf", "include conf.d/*.conf\n"),
            List.of("keepalived.conf:1 include")),
        new Bad(
            "include with two names",
            Map.of("keepalived.conf", "include a.conf b.conf\n"),
            List.of("keepalived.conf:1 include")),
        new Bad(
            "multi-line parameter definitions and generators are not read",
            Map.of(
                "keepalived.conf", "$RS= \\\n  real_server 10.0.0.1 80 \\\n\n~SEQ(N, 1, 3) x $N\n"),
            List.of("keepalived.conf:1 RS", "keepalived.conf:4 ~SEQ")),
        new Bad(
            "${_RANDOM}: an import must give the same result each time",
            Map.of("keepalived.conf", "x ${_RANDOM}\n"),
            List.of("keepalived.conf:1 ")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCases")
  void rejects(Bad c) throws IOException {
    for (var e : c.files.entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
    }
    ConfigReader.Result r = ConfigReader.read(dir.resolve("keepalived.conf"), null);

    List<String> errors =
        r.diagnostics().stream()
            .filter(d -> d.severity() == Severity.ERROR)
            .map(
                d ->
                    dir.relativize(Path.of(d.at().file()))
                        + ":"
                        + d.at().line()
                        + " "
                        + d.keyword())
            .toList();
    assertThat(errors).containsExactlyInAnyOrderElementsOf(c.errors);
  }

  @Test
  void includesAreRelativeToTheIncludingFileAndGlobsAreSorted() throws IOException {
    Files.createDirectories(dir.resolve("etc/conf.d/sub"));
    Files.createDirectories(dir.resolve("etc/conf.d/skipped.conf")); // a directory: skipped
    Files.writeString(dir.resolve("etc/keepalived.conf"), "a 1\ninclude conf.d/*.conf\nz 9\n");
    Files.writeString(dir.resolve("etc/conf.d/20-b.conf"), "b 2\n");
    Files.writeString(dir.resolve("etc/conf.d/10-a.conf"), "include sub/{x,y}.conf\n");
    Files.writeString(dir.resolve("etc/conf.d/.hidden.conf"), "hidden 0\n");
    Files.writeString(dir.resolve("etc/conf.d/sub/x.conf"), "x 3\n");
    Files.writeString(dir.resolve("etc/conf.d/sub/y.conf"), "y 4\n");

    ConfigReader.Result r = ConfigReader.read(dir.resolve("etc/keepalived.conf"), null);

    assertThat(r.diagnostics()).isEmpty();
    List<String> where = new ArrayList<>();
    for (Statement s : r.statements()) {
      where.add(s.keyword() + "@" + dir.relativize(Path.of(s.at().file())) + ":" + s.at().line());
    }
    assertThat(where)
        .containsExactly(
            "a@etc/keepalived.conf:1",
            "x@etc/conf.d/sub/x.conf:1",
            "y@etc/conf.d/sub/y.conf:1",
            "b@etc/conf.d/20-b.conf:1",
            "z@etc/keepalived.conf:3");
  }

  @Test
  void anIncludeInsideABlockAddsToThatBlock() throws IOException {
    Files.writeString(
        dir.resolve("keepalived.conf"), "virtual_server 10.0.0.1 80 {\n  include rs.conf\n}\n");
    Files.writeString(dir.resolve("rs.conf"), "real_server 10.0.0.2 80 {\n  weight 2\n}\n");

    ConfigReader.Result r = ConfigReader.read(dir.resolve("keepalived.conf"), null);

    assertThat(flatten(r.statements(), ""))
        .containsExactly(
            "1: virtual_server [10.0.0.1, 80] {",
            "1:   real_server [10.0.0.2, 80] {",
            "2:     weight [2]");
  }

  @Test
  void aMissingMainFileIsOneClearError() {
    ConfigReader.Result r = ConfigReader.read(dir.resolve("nope.conf"), null);

    assertThat(r.diagnostics()).hasSize(1);
    assertThat(r.diagnostics().getFirst().toString())
        .endsWith("nope.conf: no such file (or not a regular file)");
  }

  @Test
  void bracesExpandLikeCsh() {
    assertThat(IncludeGlob.expandBraces("a{b,c{d,e}}f")).containsExactly("abf", "acdf", "acef");
    assertThat(IncludeGlob.expandBraces("{foo/{,cat,dog},bar}"))
        .containsExactly("foo/", "foo/cat", "foo/dog", "bar");
    assertThat(IncludeGlob.expandBraces("x{}y")).containsExactly("x{}y");
  }

  private static List<String> flatten(List<Statement> statements, String indent) {
    List<String> out = new ArrayList<>();
    for (Statement s : statements) {
      out.add(
          s.at().line()
              + ": "
              + indent
              + s.keyword()
              + " "
              + s.args()
              + (s.hasBlock() ? " {" : ""));
      out.addAll(flatten(s.children(), indent + "  "));
    }
    return out;
  }
}
