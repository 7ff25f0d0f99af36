package io.lvsoperator.keepalived;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lvsoperator.keepalived.conf.Diagnostic;
import io.lvsoperator.keepalived.conf.Severity;
import io.lvsoperator.keepalived.manifest.ManifestMapper;
import io.lvsoperator.keepalived.manifest.ManifestObject;
import io.lvsoperator.keepalived.manifest.YamlWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The keepalived.conf corpus under src/test/resources/corpus, and reading YAML back. */
final class Corpus {
  static final Path ROOT = Path.of("src/test/resources/corpus");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Corpus() {}

  static Path file(String relative) {
    return ROOT.resolve(relative);
  }

  /** {@code lvs1=seed/lvs1/keepalived.conf} or {@code seed/lvs1/keepalived.conf}. */
  static List<KeepalivedImport.Config> configs(String... specs) {
    List<KeepalivedImport.Config> out = new ArrayList<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      out.add(
          eq < 0
              ? new KeepalivedImport.Config(null, file(spec))
              : new KeepalivedImport.Config(spec.substring(0, eq), file(spec.substring(eq + 1))));
    }
    return out;
  }

  static KeepalivedImport.Outcome run(ManifestMapper.Options options, String... specs) {
    return KeepalivedImport.run(configs(specs), options);
  }

  /** Each written object, as the YAML reader sees it, by "Kind/name". */
  static Map<String, JsonNode> parsed(List<ManifestObject> objects) throws IOException {
    Map<String, JsonNode> out = new TreeMap<>();
    for (ManifestObject o : objects) {
      List<JsonNode> docs = documents(YamlWriter.write(o));
      if (docs.size() != 1) {
        throw new AssertionError(o.fileName() + " holds " + docs.size() + " documents");
      }
      out.put(o.kind() + "/" + o.name(), docs.getFirst());
    }
    return out;
  }

  /** Every object of the YAML files in {@code dir}, by "Kind/name". */
  static Map<String, JsonNode> parsedDirectory(Path dir) throws IOException {
    Map<String, JsonNode> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (JsonNode doc : documents(Files.readString(f))) {
          out.put(
              doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText(), doc);
        }
      }
    }
    return out;
  }

  static List<JsonNode> documents(String yaml) throws IOException {
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      return it.readAll().stream().filter(d -> d != null && !d.isEmpty()).toList();
    }
  }

  /** {@code ERROR seed/lvs1/keepalived.conf:23 keyword}: what a test says about a finding. */
  static String brief(Diagnostic d) {
    String where = d.at() == null ? "-" : d.at().toString();
    String prefix = ROOT + "/";
    if (where.startsWith(prefix)) {
      where = where.substring(prefix.length());
    }
    return d.severity() + " " + where + " " + d.keyword();
  }

  static List<String> briefs(KeepalivedImport.Outcome outcome, Severity atLeast) {
    return outcome.diagnostics().stream()
        .filter(d -> d.severity().compareTo(atLeast) >= 0)
        .map(Corpus::brief)
        .toList();
  }
}
