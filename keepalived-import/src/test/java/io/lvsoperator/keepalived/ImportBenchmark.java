package io.lvsoperator.keepalived;

import io.lvsoperator.keepalived.conf.Severity;
import io.lvsoperator.keepalived.manifest.ManifestMapper;
import io.lvsoperator.keepalived.manifest.ManifestObject;
import io.lvsoperator.keepalived.manifest.YamlWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Prints how long importing a large configuration takes: two directors, each with a generated
 * keepalived.conf of VIRTUAL_SERVERS virtual_server blocks (one VIP each, 250 VIPs per
 * vrrp_instance, REAL_SERVERS real servers each with an HTTP_GET check). Not a test; run it with
 * the module's test classpath:
 *
 * <pre>
 * ./mvnw -B -q -pl keepalived-import -am test-compile
 * java -cp keepalived-import/target/classes:keepalived-import/target/test-classes \
 *     io.lvsoperator.keepalived.ImportBenchmark [virtual_servers=1000] [real_servers=20] [rounds=5]
 * </pre>
 *
 * One line per round: {@code bench=import virtual_servers=... ms=...} for reading and mapping both
 * files, and the time to write every object as YAML files; the first round includes the JVM's
 * warm-up.
 */
public final class ImportBenchmark {
  private ImportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int virtualServers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int realServers = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path dir = Files.createTempDirectory("import-bench");
    try {
      Path lvs1 = dir.resolve("lvs1.conf");
      Path lvs2 = dir.resolve("lvs2.conf");
      Files.writeString(lvs1, config(virtualServers, realServers, "MASTER", 150));
      Files.writeString(lvs2, config(virtualServers, realServers, "BACKUP", 100));
      System.out.printf(
          "config lines=%d bytes=%d (each of 2 directors)%n",
          Files.readAllLines(lvs1).size(), Files.size(lvs1));
      List<KeepalivedImport.Config> configs =
          List.of(
              new KeepalivedImport.Config("lvs1", lvs1), new KeepalivedImport.Config("lvs2", lvs2));
      for (int round = 1; round <= rounds; round++) {
        long start = System.nanoTime();
        KeepalivedImport.Outcome outcome =
            KeepalivedImport.run(configs, ManifestMapper.Options.defaults());
        long mapped = System.nanoTime();
        Path out = dir.resolve("out-" + round);
        Files.createDirectories(out);
        for (ManifestObject o : outcome.objects()) {
          Files.writeString(out.resolve(o.fileName()), YamlWriter.write(o));
        }
        long written = System.nanoTime();
        if (outcome.has(Severity.ERROR) || outcome.has(Severity.UNSUPPORTED)) {
          throw new IllegalStateException(
              "the generated configuration does not import: " + outcome.diagnostics().getFirst());
        }
        System.out.printf(
            "bench=import round=%d virtual_servers=%d real_servers_each=%d objects=%d"
                + " read_and_map_ms=%d write_ms=%d total_ms=%d%n",
            round,
            virtualServers,
            realServers,
            outcome.objects().size(),
            (mapped - start) / 1_000_000,
            (written - mapped) / 1_000_000,
            (written - start) / 1_000_000);
      }
      Runtime rt = Runtime.getRuntime();
      System.gc();
      System.out.printf("heap_used_after_gc_mb=%d%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** 250 VIPs per vrrp_instance in 10.100.0.0/16, real servers in 10.200.0.0/16. */
  public static String config(int virtualServers, int realServers, String state, int priority) {
    StringBuilder b = new StringBuilder("global_defs {\n    router_id generated\n}\n\n");
    int perInstance = 250;
    for (int i = 0; i * perInstance < virtualServers; i++) {
      b.append("vrrp_instance VI_")
          .append(i)
          .append(" {\n    state ")
          .append(state)
          .append("\n    interface eth0\n    virtual_router_id ")
          .append(i + 1)
          .append("\n    priority ")
          .append(priority)
          .append("\n    advert_int 1\n    virtual_ipaddress {\n");
      for (int v = i * perInstance; v < Math.min(virtualServers, (i + 1) * perInstance); v++) {
        b.append("        ").append(vip(v)).append("/16\n");
      }
      b.append("    }\n}\n\n");
    }
    for (int v = 0; v < virtualServers; v++) {
      b.append("virtual_server ")
          .append(vip(v))
          .append(" 80 {\n    delay_loop 6\n    lb_algo rr\n    lb_kind DR\n    protocol TCP\n");
      for (int r = 0; r < realServers; r++) {
        int n = v * realServers + r;
        b.append("    real_server 10.200.")
            .append(n / 250)
            .append('.')
            .append(n % 250 + 1)
            .append(" 80 {\n        weight 1\n        HTTP_GET {\n            url {\n")
            .append("                path /\n                status_code 200\n            }\n")
            .append("            connect_timeout 3\n            retry 3\n")
            .append("            delay_before_retry 3\n        }\n    }\n");
      }
      b.append("}\n\n");
    }
    return b.toString();
  }

  private static String vip(int v) {
    return "10.100." + (v / 250) + "." + (v % 250 + 1);
  }
}
