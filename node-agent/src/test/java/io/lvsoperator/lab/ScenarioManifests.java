package io.lvsoperator.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The variants of examples/reference that lab/run compare and lab/run mixed play, made from it (so
 * they follow it) by editing its VirtualServers as YAML trees. Run on the host by lab/run with the
 * agent jar on the class path:
 *
 * <pre>
 * ScenarioManifests defaults SRC DST   # without keepalived's timings: the compiler's defaults apply
 * ScenarioManifests mixed SRC DST 2|3  # our agent on lvs2 beside keepalived on lvs1 (mixed.sh)
 * ScenarioManifests zero-loss SRC DST sync|nosync  # the defaults plus an echo service on the VIP's
 *                                      # port 9000, with or without connection sync (zero-loss.sh)
 * </pre>
 */
public final class ScenarioManifests {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private ScenarioManifests() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println(
          "usage: ScenarioManifests defaults SRC DST | mixed SRC DST 2|3"
              + " | zero-loss SRC DST sync|nosync");
      System.exit(2);
    }
    Path src = Path.of(args[1]);
    Path dst = Path.of(args[2]);
    switch (args[0]) {
      case "defaults" -> write(src, dst, ScenarioManifests::defaults);
      case "mixed" -> write(src, dst, spec -> mixed(spec, Integer.parseInt(args[3])));
      case "zero-loss" -> zeroLoss(src, dst, args[3].equals("sync"));
      default -> {
        System.err.println("unknown variant " + args[0]);
        System.exit(2);
      }
    }
  }

  /**
   * Without the fields that carry keepalived's timings (VRRP version, advert interval, PASS
   * authentication: v3 has none; delay_loop, connect_timeout, retry, delay_before_retry).
   */
  static void defaults(ObjectNode spec) {
    ObjectNode vrrp = (ObjectNode) spec.path("vrrp");
    vrrp.remove(List.of("version", "advertIntervalMs", "authPassSecretRef"));
    ObjectNode check = (ObjectNode) spec.path("healthCheck");
    check.remove(List.of("delayLoop", "connectTimeout", "retry", "delayBeforeRetry"));
  }

  /**
   * VRRP {@code version} (3 drops PASS authentication); the director at priority 100 goes to 150
   * and the one at 50 to 100, so that our agent on lvs2 runs at 100 while keepalived on lvs1 takes
   * 150 or 50. The advert interval stays 1 s, keepalived's advert_int 1.
   */
  static void mixed(ObjectNode spec, int version) {
    ObjectNode vrrp = (ObjectNode) spec.path("vrrp");
    vrrp.put("version", version);
    if (version == 3) {
      vrrp.remove("authPassSecretRef");
    }
    for (JsonNode node : spec.path("directors").path("nodes")) {
      int priority = node.path("priority").asInt();
      if (priority == 100 || priority == 50) {
        ((ObjectNode) node).put("priority", priority == 100 ? 150 : 100);
      }
    }
  }

  /** The port of the echo service zero-loss.sh's long-lived connections use. */
  static final int ECHO_PORT = 9000;

  /**
   * The defaults (100 ms adverts), with {@code spec.vrrp.connectionSync} (eth0, sync id 51) when
   * {@code sync}, plus {@code echo.yaml}: a VirtualServer "echo" on the same VIP and VRRP instance,
   * TCP port 9000, DR to 172.20.1.10 and .11 (busybox nc echoing there), checked by TCP connect
   * every 2 s (each check costs the real server a fork).
   */
  static void zeroLoss(Path src, Path dst, boolean sync) throws IOException {
    ObjectNode[] vrrp = new ObjectNode[1];
    ObjectNode[] directors = new ObjectNode[1];
    write(
        src,
        dst,
        spec -> {
          defaults(spec);
          if (sync) {
            ObjectNode c = ((ObjectNode) spec.path("vrrp")).putObject("connectionSync");
            c.put("interface", "eth0");
            c.put("syncId", 51);
          }
          vrrp[0] = ((ObjectNode) spec.path("vrrp")).deepCopy();
          directors[0] = ((ObjectNode) spec.path("directors")).deepCopy();
        });
    ObjectNode echo = YAML.createObjectNode();
    echo.put("apiVersion", "lvsoperator.io/v1alpha1");
    echo.put("kind", "VirtualServer");
    echo.putObject("metadata").put("name", "echo").put("namespace", "default");
    ObjectNode spec = echo.putObject("spec");
    spec.put("vip", "172.20.1.100");
    spec.put("port", ECHO_PORT);
    spec.put("protocol", "TCP");
    spec.put("scheduler", "rr");
    spec.put("forwarding", "DR");
    spec.putObject("healthCheck").put("type", "TCP").put("delayLoop", "2s");
    // One VIP, one VRRP instance: the settings must be the web VirtualServer's.
    spec.set("vrrp", vrrp[0]);
    spec.set("directors", directors[0]);
    var servers = spec.putArray("realServers");
    servers.addObject().put("address", "172.20.1.10");
    servers.addObject().put("address", "172.20.1.11");
    Files.writeString(dst.resolve("echo.yaml"), YAML.writeValueAsString(echo));
  }

  /** Every file of {@code src} into {@code dst}, each VirtualServer's spec edited. */
  static void write(Path src, Path dst, Consumer<ObjectNode> edit) throws IOException {
    Files.createDirectories(dst);
    try (var files = Files.list(src)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        Files.writeString(dst.resolve(file.getFileName()), edited(Files.readString(file), edit));
      }
    }
  }

  static String edited(String yaml, Consumer<ObjectNode> edit) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (it.hasNext()) {
        documents.add(it.next());
      }
    }
    StringWriter out = new StringWriter();
    for (JsonNode document : documents) {
      if ("VirtualServer".equals(document.path("kind").asText())) {
        edit.accept((ObjectNode) document.path("spec"));
      }
      out.write(documents.size() > 1 ? "---\n" : "");
      out.write(YAML.writeValueAsString(document));
    }
    return out.toString();
  }
}
